import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import { assembleIntake } from '../app/assemble-intake.js';
import { systemClock } from '../intake/clock.js';
import { CompoundMatcher } from '../intake/compounds/compound-matcher.js';
import { createCompoundUseCases } from '../intake/compounds/compound-use-cases.js';
import { FieldCipher } from '../intake/crypto/field-cipher.js';
import type { Database } from '../intake/store/database.js';
import { dialectKindOf } from '../intake/store/dialect/dialect-kind.js';
import { migrateToLatest } from '../intake/store/migrate.js';
import { openDatabase, type DatabaseLocation } from '../intake/store/open-database.js';
import { newTimeOrderedId } from '../intake/store/time-ordered-id.js';
import { completeReport } from '../test/support/fixtures.js';
import { fillerReportRow } from '../test/support/filler-report-row.js';
import type { BenchLine } from './bench-line.js';

const samples = 30;
const sizes = { small: 1_000, large: 100_000 } as const;

/**
 * Stores reports up to `total` as fast as the database takes them. What they say does not matter (the matcher reads
 * only the reports due, and these are looked at once before measuring): their number is the size of the store.
 */
async function fill(db: Kysely<Database>, total: number): Promise<void> {
  const { rows } = await sql<{ stored: number | string }>`select count(*) as stored from reports`.execute(db);
  const timestamp = new Date().toISOString();
  for (let done = Number(rows[0]!.stored); done < total; done += 1_000) {
    const reports = Array.from({ length: Math.min(1_000, total - done) }, () =>
      fillerReportRow(newTimeOrderedId(), timestamp),
    );
    await db.insertInto('reports').values(reports).execute();
  }
}

/**
 * Median time of a matcher round after one report is stored (matched against the one compound), with `total`
 * reports stored and every other one already looked at.
 */
async function medianRoundMs(db: Kysely<Database>, total: number): Promise<number> {
  const cipher = new FieldCipher(randomBytes(32));
  const intake = assembleIntake({ db, cipher });
  // The filler cannot be decrypted: looked at while there is no compound, it is only marked looked at.
  await db.deleteFrom('compounds').execute();
  await fill(db, total);
  const matcher = new CompoundMatcher({ db, cipher, links: intake.links });
  await matcher.runOnce();
  // What a steady store looks like: the rows the first round took off the work list vacuumed away, as autovacuum
  // does (until then a page reads past them: a cost of what changed lately, not of what is stored).
  if (dialectKindOf(db) === 'postgres') await sql`vacuum analyze compound_scans_due, reports`.execute(db);
  const compounds = createCompoundUseCases({ db, cipher, now: systemClock, links: intake.links });
  const staff = { auditId: 'user:bench', role: 'hotline' } as const;
  const { id } = await compounds.add(staff, {
    name: 'KK Park',
    aliases: '',
    country: 'MM',
    area: '',
    latitude: '16.7416',
    longitude: '98.5325',
    landmarks: '',
    status: 'active',
    notes: '',
  });
  // Matched against every report already (that path reads them all, once per edit): only new reports are measured.
  await db.updateTable('compounds').set({ matched_revision: 1 }).where('id', '=', id).execute();
  const timings: number[] = [];
  for (let i = 0; i < samples; i += 1) {
    await intake.reports.submitReport(completeReport(), { actor: 'bench' });
    const started = performance.now();
    await matcher.runOnce();
    timings.push(performance.now() - started);
  }
  const left = await db.selectFrom('compound_scans_due').select('report_id').execute();
  if (left.length > 0) throw new Error(`${left.length} report(s) left due after the round`);
  timings.sort((a, b) => a - b);
  return timings[Math.floor(timings.length / 2)]!;
}

async function linesFor(label: string, db: Kysely<Database>): Promise<BenchLine[]> {
  await migrateToLatest(db);
  const small = await medianRoundMs(db, sizes.small);
  const large = await medianRoundMs(db, sizes.large);
  const ratio = large / small;
  return [
    {
      name: `compound matcher round after a report is stored, ${sizes.small.toLocaleString('en-US')} stored, ${label} (median)`,
      value: small,
      unit: 'ms',
      aim: 'baseline',
      met: true,
    },
    {
      name: `compound matcher round after a report is stored, ${sizes.large.toLocaleString('en-US')} stored, ${label} (median)`,
      value: large,
      unit: 'ms',
      aim: 'baseline',
      met: true,
    },
    {
      name: `compound matcher round at ${sizes.large.toLocaleString('en-US')} / at ${sizes.small.toLocaleString('en-US')} reports, ${label}`,
      value: ratio,
      unit: 'ratio',
      aim: '≤ 2',
      met: ratio <= 2,
    },
  ];
}

/**
 * What a compound matcher round costs as the store grows: it reads the reports due (migration 0037), so a round
 * after one report is stored should cost the same with 100 times as many reports stored. On SQLite, and on
 * PostgreSQL too when DATABASE_URL names one (each instance's rounds are paid there).
 */
export async function benchCompoundMatcher(): Promise<BenchLine[]> {
  const lines: BenchLine[] = [];
  const folder = mkdtempSync(join(tmpdir(), 'reportline-bench-matcher-'));
  const sqlite = openDatabase({ kind: 'sqlite', filename: join(folder, 'reportline.db') });
  try {
    lines.push(...(await linesFor('SQLite', sqlite)));
  } finally {
    await sqlite.destroy();
    rmSync(folder, { recursive: true, force: true });
  }
  const url = process.env.DATABASE_URL;
  if (!url) return lines;
  const schema = `bench_matcher_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  const location: DatabaseLocation = { kind: 'postgres', url, searchPath: schema, maxConnections: 4 };
  const postgres = openDatabase(location);
  try {
    lines.push(...(await linesFor('PostgreSQL', postgres)));
  } finally {
    await postgres.destroy();
    await admin.query(`drop schema ${schema} cascade`);
    await admin.end();
  }
  return lines;
}
