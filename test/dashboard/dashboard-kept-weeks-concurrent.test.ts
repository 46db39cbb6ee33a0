import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lastWeeks } from '../../intake/dashboard/dashboard-period.js';
import { createDashboardReadModel, referenceFigures } from '../../intake/dashboard/dashboard-read-model.js';
import type { ConsoleHarness } from '../support/console-harness.js';
import { openHarnessOn } from '../support/harness-on-database.js';
import { testDatabaseKinds, warnIfPostgresSkipped } from '../support/test-databases.js';

warnIfPostgresSkipped();

const weekMs = 7 * 24 * 60 * 60 * 1000;
const hotline = { kind: 'hotline' } as const;

/**
 * PostgreSQL only: it runs writes beside a refresh (READ COMMITTED), so a
 * write can commit while a page counts its week again, and two writes can
 * each miss the other's row. SQLite cannot race this way: a refresh holds its
 * one write lock (`begin immediate`) from its first statement, so no write
 * commits during it, and writers take turns. The open transactions are held
 * on connections of their own, beside the harness's pool.
 */
describe.runIf(testDatabaseKinds.includes('postgres'))(
  'kept weeks and writes committed during a refresh (postgres)',
  () => {
    let harness: ConsoleHarness;
    let close: () => Promise<void>;
    let writers: pg.Client[];
    beforeAll(async () => {
      ({ harness, close } = await openHarnessOn('postgres'));
      const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(harness.services.db);
      writers = [];
      for (let index = 0; index < 2; index += 1) {
        const client = new pg.Client({
          connectionString: process.env.DATABASE_URL,
          options: `-c search_path=${rows[0]!.schema}`,
        });
        await client.connect();
        writers.push(client);
      }
    }, 60_000);
    afterAll(async () => {
      for (const client of writers ?? []) await client.end();
      await close?.();
    });
    const parts = () => ({ db: harness.services.db, cipher: harness.services.cipher, now: harness.services.now });
    const submit = (category: string) =>
      harness.submit({
        consent: { shareWithLawEnforcement: true },
        channel: 'web',
        incident: { category },
        victim: { currentCountry: 'KH' },
      } as never);

    it('counts a write whose transaction was open while a refresh counted its week', async () => {
      const dashboard = createDashboardReadModel(parts());
      const period = lastWeeks(harness.services.now(), 2);
      const first = await submit('romance');
      await dashboard.figures(hotline, period);
      await submit('romance'); // the week is marked
      const [writer] = writers as [pg.Client];
      await writer.query('begin');
      await writer.query(`update reports set category = 'sextortion' where id = $1`, [first.reportId]);
      await dashboard.figures(hotline, period); // takes the mark, counts without the open write
      await writer.query('commit');
      const kept = await dashboard.figures(hotline, period);
      expect(kept.reportsByCategory).toEqual((await referenceFigures(parts(), hotline, period)).reportsByCategory);
    });

    it('links an old report and a new one given one value at once, with a page between the commits', async () => {
      const dashboard = createDashboardReadModel(parts());
      const period = lastWeeks(harness.services.now(), 4);
      const old = await submit('romance');
      const recent = await submit('romance');
      const at = new Date(harness.services.now().getTime() - 2 * weekMs).toISOString();
      await harness.services.db.updateTable('reports').set({ created_at: at }).where('id', '=', old.reportId).execute();
      await dashboard.figures(hotline, period);
      const [first, second] = writers as [pg.Client, pg.Client];
      const give = (client: pg.Client, reportId: string) =>
        client.query(
          `insert into report_indicators (report_id, kind, value_hash, validity, created_at)
         values ($1, 'phone', 'shared-at-once', 'valid', $2)`,
          [reportId, new Date().toISOString()],
        );
      // Each transaction sees only its own row: the old report's sees no other holder, the new one's neither.
      await first.query('begin');
      await give(first, old.reportId);
      await second.query('begin');
      await give(second, recent.reportId);
      await first.query('commit');
      await dashboard.figures(hotline, period);
      await second.query('commit');
      const kept = await dashboard.figures(hotline, period);
      expect(kept.linked).toEqual((await referenceFigures(parts(), hotline, period)).linked);
    });
  },
);
