import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assembleIntake } from '../../app/assemble-intake.js';
import { CompoundMatcher } from '../../intake/compounds/compound-matcher.js';
import { FieldCipher } from '../../intake/crypto/field-cipher.js';
import type { Database } from '../../intake/store/database.js';
import { openDatabase } from '../../intake/store/open-database.js';
import { newTimeOrderedId } from '../../intake/store/time-ordered-id.js';
import { fillerReportRow } from '../support/filler-report-row.js';
import { completeReport } from '../support/fixtures.js';
import { createTestDatabase, type TestDatabase } from '../support/test-databases.js';

const postgresUrl = process.env.DATABASE_URL;

/** Polls until `check` holds (or fails the test after a while): waiting for background work, not timing it. */
async function until(check: () => Promise<boolean>): Promise<void> {
  for (let tries = 0; tries < 200; tries += 1) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the condition did not come to hold');
}

describe.skipIf(!postgresUrl)('the compound matcher with several instances on PostgreSQL', () => {
  let database: TestDatabase;
  let other: Kysely<Database>;
  const cipher = new FieldCipher(randomBytes(32));
  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    // Another instance's connections to the same schema.
    other = openDatabase(database.location);
  });
  afterAll(async () => {
    await other.destroy();
    await database.dispose();
  });

  it('looks again for the report it was nudged for when another instance held the round', async () => {
    const matcher = new CompoundMatcher({ db: other, cipher, links: assembleIntake({ db: other, cipher }).links });
    matcher.start(60 * 60_000);
    // The other instance's round under way: its matcher's lock, held on a connection of its own.
    const { location } = database;
    if (location.kind !== 'postgres') throw new Error('a PostgreSQL test database was expected');
    const lockKey = `hashtextextended('reportline:compound-matcher:' || current_database() || ':' || current_schema(), 0)`;
    const holder = new pg.Client({ connectionString: location.url });
    await holder.connect();
    try {
      if (location.searchPath) await holder.query(`set search_path to ${location.searchPath}`);
      await holder.query(`select pg_advisory_lock(${lockKey})`);
      const stored = await assembleIntake({ db: other, cipher }).reports.submitReport(completeReport(), {
        actor: 'public',
      });
      matcher.nudge();
      // While the other round holds it, this instance's round passes: the report is not looked at yet.
      await new Promise((resolve) => setTimeout(resolve, 300));
      const scanned = async () =>
        (await database.db
          .selectFrom('compound_scans_due')
          .select('report_id')
          .where('report_id', '=', stored.reportId)
          .executeTakeFirst()) === undefined;
      expect(await scanned()).toBe(false);
      await holder.query(`select pg_advisory_unlock(${lockKey})`);
      // Once the other round is over, this instance looks again, without waiting for its hourly poll.
      await until(scanned);
    } finally {
      await holder.end();
      await matcher.stop();
    }
  });

  // Added after the fix: the round's delete waited on the writer's row lock (held until the writer committed, however
  // much else its transaction did), with the round's lock held; two writers each holding a report the other's
  // delete had locked would deadlock with it.
  it('marks a page looked at without waiting for a writer still holding one of its reports', async () => {
    const intake = assembleIntake({ db: other, cipher });
    const matcher = new CompoundMatcher({ db: other, cipher, links: intake.links });
    const held = await intake.reports.submitReport(completeReport(), { actor: 'public' });
    const free = await intake.reports.submitReport(completeReport(), { actor: 'public' });
    await matcher.runOnce();
    const due = async () =>
      (await database.db.selectFrom('compound_scans_due').select('report_id').execute()).map((row) => row.report_id);
    expect(await due()).toEqual([]);
    const { location } = database;
    if (location.kind !== 'postgres') throw new Error('a PostgreSQL test database was expected');
    // Both changed and committed; then another instance's staff edit of one of them, not committed yet.
    for (const { reportId } of [held, free])
      await database.db
        .updateTable('reports')
        .set({ updated_at: new Date().toISOString() })
        .where('id', '=', reportId)
        .execute();
    const writer = new pg.Client({ connectionString: location.url });
    await writer.connect();
    try {
      if (location.searchPath) await writer.query(`set search_path to ${location.searchPath}`);
      await writer.query('begin');
      await writer.query(`update reports set updated_at = $1 where id = $2`, [new Date().toISOString(), held.reportId]);
      const round = matcher.runOnce().then(() => 'done' as const);
      const waited = new Promise<'waiting'>((resolve) => setTimeout(() => resolve('waiting'), 5_000).unref());
      expect(await Promise.race([round, waited])).toBe('done');
      // The free one is looked at; the held one stays due for its writer's change.
      expect(await due()).toEqual([held.reportId]);
      await writer.query('commit');
      await round;
      await matcher.runOnce();
      expect(await due()).toEqual([]);
    } finally {
      await writer.query('rollback').catch(() => {});
      await writer.end();
    }
  });

  // Added after the fix: each page started again from the first report due, so a page the writer held all of was
  // read, passed over and read again, with the round's lock held, until the writer committed.
  it('ends its round while a writer holds more than a page of the reports due, and looks at them after', async () => {
    const intake = assembleIntake({ db: other, cipher });
    const matcher = new CompoundMatcher({ db: other, cipher, links: intake.links });
    await matcher.runOnce();
    // More than a page (200) of reports, stored and due. This file adds no compound, so the round reads none of
    // them: what they say does not matter.
    const timestamp = new Date().toISOString();
    const ids = Array.from({ length: 201 }, () => newTimeOrderedId());
    await database.db
      .insertInto('reports')
      .values(ids.map((id) => fillerReportRow(id, timestamp, 'unread')))
      .execute();
    const due = async () =>
      (await database.db.selectFrom('compound_scans_due').select('report_id').orderBy('report_id').execute()).map(
        (row) => row.report_id,
      );
    expect(await due()).toEqual([...ids].sort());
    const { location } = database;
    if (location.kind !== 'postgres') throw new Error('a PostgreSQL test database was expected');
    // A script's edit of all of them in one transaction, not committed yet.
    const writer = new pg.Client({ connectionString: location.url });
    await writer.connect();
    try {
      if (location.searchPath) await writer.query(`set search_path to ${location.searchPath}`);
      await writer.query('begin');
      await writer.query(`update reports set updated_at = $1 where id = any($2)`, [new Date().toISOString(), ids]);
      const round = matcher.runOnce().then(() => 'done' as const);
      const waited = new Promise<'waiting'>((resolve) => setTimeout(() => resolve('waiting'), 5_000).unref());
      expect(await Promise.race([round, waited])).toBe('done');
      expect(await due()).toHaveLength(ids.length);
      await writer.query('commit');
      await matcher.runOnce();
      expect(await due()).toEqual([]);
    } finally {
      await writer.query('rollback').catch(() => {});
      await writer.end();
    }
  });
});
