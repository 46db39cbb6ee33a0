import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compoundsHeldNow } from '../../intake/dashboard/compounds-held-now.js';
import { lastWeeks } from '../../intake/dashboard/dashboard-period.js';
import { createDashboardReadModel } from '../../intake/dashboard/dashboard-read-model.js';
import type { DashboardScope } from '../../intake/dashboard/dashboard-scope.js';
import { countedDeskCounts, deskCounts } from '../../intake/urgent/duty-desk-counts.js';
import type { ConsoleHarness } from '../support/console-harness.js';
import { openHarnessOn } from '../support/harness-on-database.js';
import { testDatabaseKinds, warnIfPostgresSkipped } from '../support/test-databases.js';
import { compoundRow } from './dashboard-fixture.js';

warnIfPostgresSkipped();

/**
 * PostgreSQL only (READ COMMITTED): the kept open urgent counts of migration
 * 0036 ("people held now", the duty desk) with writes to one case in two
 * transactions at once, each seeing only its own row, and a read between
 * their commits that takes the first one's mark. A share worked out in the
 * writer (from its own snapshot) would count the case by the other row as it
 * was before; worked out by the reader from the committed rows, the last
 * commit's mark is worked out seeing both. SQLite cannot race this way (one
 * writer at a time).
 */
describe.runIf(testDatabaseKinds.includes('postgres'))('kept open urgent counts and racing writes (postgres)', () => {
  let harness: ConsoleHarness;
  let close: () => Promise<void>;
  let writers: [pg.Client, pg.Client];
  beforeAll(async () => {
    ({ harness, close } = await openHarnessOn('postgres'));
    const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(harness.services.db);
    const clients: pg.Client[] = [];
    for (let index = 0; index < 2; index += 1) {
      const client = new pg.Client({
        connectionString: process.env.DATABASE_URL,
        options: `-c search_path=${rows[0]!.schema}`,
      });
      await client.connect();
      clients.push(client);
    }
    writers = clients as [pg.Client, pg.Client];
    const at = new Date().toISOString();
    await harness.services.db
      .insertInto('compounds')
      .values(compoundRow({ id: 'cmp-race', name: 'KK Park', at, by: 'test' }))
      .execute();
  }, 60_000);
  afterAll(async () => {
    for (const client of writers ?? []) await client.end();
    await close?.();
  });
  const held = () =>
    harness.submit({
      consent: { shareWithLawEnforcement: true },
      channel: 'web',
      safety: { heldAgainstWill: true },
      incident: { category: 'fake_job_compound' },
      victim: { currentCountry: 'KH' },
    } as never);

  it('the duty desk: a case taken and closed at once, read between the commits', async () => {
    const { reportId } = await held();
    expect((await deskCounts(harness.services.db)).waiting).toBeGreaterThan(0);
    const [taking, closing] = writers;
    await taking.query('begin');
    await taking.query(`update urgent_clocks set hotline_acknowledged_at = $2 where report_id = $1`, [
      reportId,
      new Date().toISOString(),
    ]);
    await closing.query('begin');
    await closing.query(`update reports set in_queue = 0 where id = $1`, [reportId]);
    await taking.query('commit');
    await deskCounts(harness.services.db); // takes the first mark, sees the case taken and still in the queue
    await closing.query('commit');
    expect(await deskCounts(harness.services.db)).toEqual(await countedDeskCounts(harness.services.db));
  });

  it('"people held now": a case confirmed on a compound while its routing is withheld, read between', async () => {
    const { reportId } = await held();
    const { rows } = await sql<{ agency_id: string }>`
      select agency_id from report_agencies where report_id = ${reportId}`.execute(harness.services.db);
    const scopes: DashboardScope[] = [
      { kind: 'hotline' },
      ...rows.map((row) => ({ kind: 'agency' as const, agencyId: row.agency_id })),
    ];
    expect(scopes.length).toBeGreaterThan(1);
    const dashboard = createDashboardReadModel({
      db: harness.services.db,
      cipher: harness.services.cipher,
      now: harness.services.now,
    });
    const period = lastWeeks(harness.services.now(), 2);
    const compounds = async () => {
      const kept = [];
      for (const scope of scopes) kept.push((await dashboard.figures(scope, period)).compounds);
      return kept;
    };
    const fromScratch = async () => {
      const counted = [];
      for (const scope of scopes) counted.push(await compoundsHeldNow(harness.services.db, scope));
      return counted;
    };
    await compounds();
    const [confirming, withholding] = writers;
    await confirming.query('begin');
    await confirming.query(
      `insert into compound_cases (compound_id, report_id, state, reason, detail, proposed_at)
       values ('cmp-race', $1, 'confirmed', 'name', '{}', $2)`,
      [reportId, new Date().toISOString()],
    );
    await withholding.query('begin');
    await withholding.query(`update report_routing set withheld = 1 where report_id = $1`, [reportId]);
    await confirming.query('commit');
    const between = await compounds(); // takes the confirmation's mark, sees the routing not yet withheld
    expect(between[0]!.map((compound) => compound.heldNow)).toEqual([1]);
    await withholding.query('commit');
    expect(await compounds()).toEqual(await fromScratch());
  });
});
