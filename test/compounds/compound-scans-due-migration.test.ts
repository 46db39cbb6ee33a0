import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Migrator, sql, type Kysely } from 'kysely';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { assembleIntake } from '../../app/assemble-intake.js';
import type { CaseActor } from '../../intake/cases/case-actor.js';
import { systemClock } from '../../intake/clock.js';
import { CompoundMatcher } from '../../intake/compounds/compound-matcher.js';
import { createCompoundUseCases } from '../../intake/compounds/compound-use-cases.js';
import { FieldCipher } from '../../intake/crypto/field-cipher.js';
import type { Database } from '../../intake/store/database.js';
import { currentSchema, migrateToLatest } from '../../intake/store/migrate.js';
import { migrationProvider } from '../../intake/store/migrations/index.js';
import { openDatabase } from '../../intake/store/open-database.js';
import { testDatabaseKinds, warnIfPostgresSkipped } from '../support/test-databases.js';
import { compoundForm } from './compound-test-inputs.js';

warnIfPostgresSkipped();

/**
 * A deployment upgraded to the compound matcher's work list (migration 0037) keeps every scan its old matcher had
 * not made yet: the reports 0024's scan marks said were never looked at, or changed since, are due; the ones looked
 * at in their current version are not looked at again. Added with the migration.
 */

const staff: CaseActor = { auditId: 'user:staff-1', role: 'hotline' };
const lastBefore = '0036-dashboard-open-urgent-counts';

/** An empty database of either kind, migrated up to `lastBefore` only (the test template is migrated to the end). */
async function databaseBeforeWorkList(kind: 'sqlite' | 'postgres') {
  let db: Kysely<Database>;
  let dispose: () => Promise<void>;
  if (kind === 'sqlite') {
    const folder = mkdtempSync(join(tmpdir(), 'reportline-test-'));
    db = openDatabase({ kind: 'sqlite', filename: join(folder, 'reportline.db') });
    dispose = async () => {
      await db.destroy();
      rmSync(folder, { recursive: true, force: true });
    };
  } else {
    const url = process.env.DATABASE_URL!;
    const schema = `test_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    await admin.end();
    db = openDatabase({ kind: 'postgres', url, searchPath: schema, maxConnections: 4 });
    dispose = async () => {
      await db.destroy();
      const cleanup = new pg.Client({ connectionString: url });
      await cleanup.connect();
      await cleanup.query(`drop schema ${schema} cascade`);
      await cleanup.end();
    };
  }
  const schema = await currentSchema(db);
  const migrator = new Migrator({
    db,
    provider: migrationProvider,
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  const { error } = await migrator.migrateTo(lastBefore);
  if (error) throw error;
  return { db, dispose };
}

describe.each(testDatabaseKinds)('upgrading to the compound matcher work list (%s)', (kind) => {
  let disposeDatabase: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await disposeDatabase?.();
  });

  it('keeps due the reports the old matcher had not looked at, or had looked at in an older version', async () => {
    const { db, dispose } = await databaseBeforeWorkList(kind);
    disposeDatabase = dispose;
    const cipher = new FieldCipher(randomBytes(32));
    const intake = assembleIntake({ db, cipher });
    const compounds = createCompoundUseCases({ db, cipher, now: systemClock, links: intake.links });
    const kkPark = await compounds.add(staff, compoundForm({ name: 'KK Park' }));
    // The old matcher had matched the compound against every report there was.
    await db.updateTable('compounds').set({ matched_revision: 1 }).where('id', '=', kkPark.id).execute();
    const namingKkPark = { text: 'They moved us to KK Park.', channel: 'web', actor: 'web' } as const;
    const submit = () =>
      intake.reports.submitReport(
        {
          channel: 'api',
          language: 'en',
          consent: { shareWithLawEnforcement: true, contactBack: false },
          safety: { heldAgainstWill: true },
          victim: { currentCountry: 'MM', nationality: 'TH' },
          incident: { category: 'fake_job_compound', narrative: 'They drove us across the river at night.' },
        },
        { actor: 'token:api' },
      );
    const lookedAt = await submit();
    const changedSince = await submit();
    const neverLookedAt = await submit();
    for (const { reportId } of [lookedAt, changedSince, neverLookedAt])
      await intake.followups.addToReport(reportId, namingKkPark);
    // 0024's scan marks, as the old matcher left them: one report at its current version, one at the version before
    // its addition, one not at all.
    const updatedAt = async (reportId: string) =>
      (await db.selectFrom('reports').select('updated_at').where('id', '=', reportId).executeTakeFirstOrThrow())
        .updated_at;
    const scanned = [
      { reportId: lookedAt.reportId, version: await updatedAt(lookedAt.reportId) },
      { reportId: changedSince.reportId, version: '2026-01-01T00:00:00.000Z' },
    ];
    for (const { reportId, version } of scanned)
      await sql`insert into compound_report_scans (report_id, report_updated_at, scanned_at)
        values (${reportId}, ${version}, ${version})`.execute(db);

    await migrateToLatest(db);

    const due = await db.selectFrom('compound_scans_due').select('report_id').execute();
    expect(due.map((row) => row.report_id).sort()).toEqual([changedSince.reportId, neverLookedAt.reportId].sort());
    await new CompoundMatcher({ db, cipher, links: intake.links }).runOnce();
    const proposed = await db
      .selectFrom('compound_cases')
      .select('report_id')
      .where('compound_id', '=', kkPark.id)
      .execute();
    expect(proposed.map((row) => row.report_id).sort()).toEqual([changedSince.reportId, neverLookedAt.reportId].sort());
    expect(await db.selectFrom('compound_scans_due').select('report_id').execute()).toEqual([]);
  });
});
