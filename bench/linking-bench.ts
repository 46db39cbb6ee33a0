import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { assembleIntake } from '../app/assemble-intake.js';
import { FieldCipher } from '../intake/crypto/field-cipher.js';
import type { Database } from '../intake/store/database.js';
import { migrateToLatest } from '../intake/store/migrate.js';
import { openDatabase } from '../intake/store/open-database.js';
import { newTimeOrderedId } from '../intake/store/time-ordered-id.js';
import { completeReport } from '../test/support/fixtures.js';
import { fillerReportRow } from '../test/support/filler-report-row.js';
import type { BenchLine } from './bench-line.js';

const indicatorsPerReport = 10;
const samples = 300;

/**
 * Fills the store with `total` indicator rows (10 per report) as fast as
 * SQLite takes them. The filler rows carry random blind indexes: what matters
 * is the size of the index a lookup has to search, not what the rows say.
 */
async function fill(db: Kysely<Database>, total: number, from: number): Promise<void> {
  const timestamp = new Date().toISOString();
  const reportsPerChunk = 1_000;
  for (let done = from; done < total; done += reportsPerChunk * indicatorsPerReport) {
    const reports = Array.from({ length: reportsPerChunk }, () => fillerReportRow(newTimeOrderedId(), timestamp));
    await db.transaction().execute(async (trx) => {
      await trx.insertInto('reports').values(reports).execute();
      const rows = reports.flatMap((report) =>
        Array.from({ length: indicatorsPerReport }, () => ({
          report_id: report.id,
          kind: 'phone',
          value_hash: randomBytes(32).toString('base64url'),
          validity: 'valid',
          created_at: timestamp,
        })),
      );
      for (let start = 0; start < rows.length; start += 2_000) {
        await trx
          .insertInto('report_indicators')
          .values(rows.slice(start, start + 2_000))
          .execute();
      }
    });
  }
}

/** A report whose suspects' phone, wallet and e-mail are this sample's own. */
function sampleReport(round: string, sample: number) {
  const report = completeReport();
  const tag = `${round}${sample}`;
  return {
    ...report,
    incident: { category: 'investment_crypto' as const },
    losses: { payments: [] },
    suspects: {
      phones: [`+855 ${String(10_000_000 + sample).slice(0, 8)} ${round === 'a' ? 1 : 2}`],
      wallets: [`T${tag.padEnd(33, 'x')}`],
      emails: [`agent-${tag}@scam.example`],
    },
  };
}

/**
 * Median time to find the reports linked to a newly submitted report that
 * shares its indicators with exactly two earlier ones, so only the size of
 * the store changes between the two measurements.
 */
async function medianLinkMs(intake: ReturnType<typeof assembleIntake>, round: string): Promise<number> {
  const timings: number[] = [];
  for (let i = 0; i < samples; i += 1) {
    const report = sampleReport(round, i);
    await intake.reports.submitReport(report, { actor: 'bench' });
    await intake.reports.submitReport(report, { actor: 'bench' });
    const { reportId } = await intake.reports.submitReport(report, { actor: 'bench' });
    const started = performance.now();
    const linked = await intake.links.linkedReports(reportId);
    timings.push(performance.now() - started);
    if (linked.length !== 2) throw new Error(`expected 2 linked reports, found ${linked.length}`);
  }
  timings.sort((a, b) => a - b);
  return timings[Math.floor(timings.length / 2)]!;
}

export async function benchLinking(): Promise<BenchLine[]> {
  const folder = mkdtempSync(join(tmpdir(), 'reportline-bench-linking-'));
  const db = openDatabase({ kind: 'sqlite', filename: join(folder, 'reportline.db') });
  try {
    await migrateToLatest(db);
    const intake = assembleIntake({ db, cipher: new FieldCipher(randomBytes(32)) });
    await fill(db, 100_000, 0);
    const at100k = await medianLinkMs(intake, 'a');
    await fill(db, 1_000_000, 100_000);
    const at1m = await medianLinkMs(intake, 'b');
    const ratio = at1m / at100k;
    return [
      {
        name: 'link a new report, 100,000 indicators stored (median)',
        value: at100k,
        unit: 'ms',
        aim: '< 5 ms',
        met: at100k < 5,
      },
      {
        name: 'link a new report, 1,000,000 indicators stored (median)',
        value: at1m,
        unit: 'ms',
        aim: '< 5 ms',
        met: at1m < 5,
      },
      { name: 'link time at 1,000,000 / at 100,000', value: ratio, unit: 'ratio', aim: '≤ 2', met: ratio <= 2 },
    ];
  } finally {
    await db.destroy();
    rmSync(folder, { recursive: true, force: true });
  }
}
