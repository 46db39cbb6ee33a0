import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyToPostgres, CopyRefusedError, CopyVerificationError, derivedTables } from '../../app/copy-to-postgres.js';
import { casePartsOf, createPortal } from '../../app/create-portal.js';
import type { Services } from '../../app/open-services.js';
import type { SubmitResult } from '../../intake/store/report-store.js';
import { completeReport, minimalReport } from '../support/fixtures.js';
import { browserFor } from '../support/public-portal.js';
import { runEntryPoint } from '../support/spawn-process.js';
import { createTestDatabase, type TestDatabase } from '../support/test-databases.js';
import { openTestServices, recordingLogger } from '../support/test-services.js';

const postgresUrl = process.env.DATABASE_URL;
/** The CLI run starts tsx and opens both databases: seconds on a busy machine. */
const spawnTimeoutMs = 120_000;

async function counts(database: TestDatabase, tables: string[]): Promise<Record<string, number>> {
  const entries = [];
  for (const table of tables) {
    const { rows } = await sql<{ n: number | string }>`select count(*) as n from ${sql.table(table)}`.execute(
      database.db,
    );
    entries.push([table, Number(rows[0]!.n)] as const);
  }
  return Object.fromEntries(entries);
}

/** The URL an operator would give, naming the test's own schema as its search path. */
function urlOf(database: TestDatabase): string {
  if (database.location.kind !== 'postgres') throw new Error('not PostgreSQL');
  const { url, searchPath } = database.location;
  return `${url}${url.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${searchPath}`)}`;
}

describe.skipIf(!postgresUrl)('copying a SQLite deployment to PostgreSQL', () => {
  const dataKey = randomBytes(32).toString('hex');
  const logger = recordingLogger();
  let sqlite: TestDatabase;
  let target: TestDatabase;
  const submitted: SubmitResult[] = [];
  /** Every table of the store (the migrator's own aside): each must come over whole. */
  let tables: string[];
  let before: Record<string, number>;
  /** The first report as the SQLite services read it, to compare with what the PostgreSQL ones read. */
  let firstAsRead: unknown;

  beforeAll(async () => {
    sqlite = await createTestDatabase('sqlite');
    target = await createTestDatabase('postgres');
    // A deployment that has been used: reports with deliveries, a web chat, a case note, an account.
    // An agency with a webhook (nothing listens there, and no dispatcher runs here): its deliveries stay queued.
    const directoryFile = join(dirname(sqlite.filename!), 'deployment.json');
    const agencies = [
      { id: 'kh-cnp', delivery: { webhook: { url: 'http://127.0.0.1:9/hook', secretEnv: 'KH_SECRET' } } },
    ];
    writeFileSync(directoryFile, JSON.stringify({ agencies }));
    const environment = {
      REPORTLINE_DATA_KEY: dataKey,
      REPORTLINE_DIRECTORY_FILE: directoryFile,
      KH_SECRET: 'whsec_FF8yOlEclpOxqhbJadefVvl3Fwk9GNT07uCNjy0bk9A=',
    };
    const services: Services = await openTestServices(sqlite, {
      logger,
      environment,
    });
    try {
      for (const input of [completeReport(), minimalReport(), completeReport()])
        submitted.push(await services.reports.submitReport(input, { actor: 'test' }));
      const visitor = browserFor(createPortal(services, logger), 'en');
      const chat = await visitor.open('/chat');
      await visitor.submit(chat, '/chat', { message: 'I was taken to a compound in Myawaddy and need help' });
      await services.accounts.createUser({ username: 'hotline-1', password: 'a-long-password-1', role: 'hotline' });
      await casePartsOf(services).useCases.addNote(
        { auditId: 'test', role: 'admin' },
        submitted[0]!.reference,
        'Called back, safe for now',
      );
      firstAsRead = await services.reports.getReport(submitted[0]!.reference);
    } finally {
      await services.close();
    }
    tables = (await sql<{ name: string }>`select name from sqlite_master where type = 'table'`.execute(sqlite.db)).rows
      .map((row) => row.name)
      .filter((name) => !name.startsWith('kysely_') && !name.startsWith('sqlite_') && !derivedTables.has(name));
    before = await counts(sqlite, tables);
  });
  afterAll(async () => {
    await sqlite?.dispose();
    await target?.dispose();
  });

  it('starts from a database that real submissions filled', () => {
    for (const table of [
      'reports',
      'report_indicators',
      'deliveries',
      'conversations',
      'report_agencies',
      'case_notes',
      'staff_users',
      'audit_events',
    ])
      expect(before[table], table).toBeGreaterThan(0);
  });

  it(
    'copies every table with its ids through `copy-to-postgres`, and says each table was checked',
    async () => {
      const run = runEntryPoint('app/cli.ts', ['copy-to-postgres', '--from', sqlite.filename!, '--to', urlOf(target)], {
        REPORTLINE_DATA_KEY: dataKey,
        REPORTLINE_DATA_DIR: randomBytes(4).toString('hex'),
      });
      const code = await run.exited;
      expect(run.output()).toMatch(/copied reports: 3 row\(s\), checksum [0-9a-f]{16}/);
      expect(run.output()).toMatch(/every table's count and checksum match/);
      expect(run.output()).toContain(`Read report ${submitted[2]!.reference} back from PostgreSQL with the data key`);
      expect(code).toBe(0);
      expect(await counts(target, tables)).toEqual(before);
      // The compound matcher's work list is not copied either: the target's trigger made every copied report due once
      // (the source's list said one had been written twice, by its case note), so the target's matcher looks at each.
      const copiedReports = await target.db.selectFrom('reports').select('id').orderBy('id').execute();
      expect(
        await target.db.selectFrom('compound_scans_due').select(['report_id', 'marks']).orderBy('report_id').execute(),
      ).toEqual(copiedReports.map((row) => ({ report_id: row.id, marks: 1 })));
      // The dashboard's kept weeks are not copied: the target counts them afresh from the copied reports.
      expect(await counts(target, ['dashboard_week_figures'])).toEqual({ dashboard_week_figures: 0 });
      const ids = async (database: TestDatabase) =>
        (await database.db.selectFrom('deliveries').select('id').orderBy('id').execute()).map((row) => row.id);
      expect(await ids(target)).toEqual(await ids(sqlite));
      // Encrypted columns are the very ciphertext (the same key opens them), not re-encrypted.
      const sealed = async (database: TestDatabase) =>
        (await database.db.selectFrom('reports').select(['id', 'content_enc']).orderBy('id').execute()).map(
          (row) => `${row.id}:${row.content_enc}`,
        );
      expect(await sealed(target)).toEqual(await sealed(sqlite));
    },
    spawnTimeoutMs,
  );

  it('serves the copied reports through the PostgreSQL services, and goes on numbering after the copied ids', async () => {
    const services = await openTestServices(target, { logger, environment: { REPORTLINE_DATA_KEY: dataKey } });
    try {
      expect(services.config.database.kind).toBe('postgres');
      const first = submitted[0]!;
      const read = await services.reports.getReport(first.reference);
      expect(read?.report.reference).toBe(first.reference);
      expect(read).toEqual(firstAsRead);
      // The receipt code's keyed hash came along: the reporter's status page still opens.
      expect(await services.reports.verifyReceipt(first.reference, first.receiptCode)).toBe(first.reportId);
      const highest = Number(
        (await target.db.selectFrom('report_indicators').select('id').orderBy('id', 'desc').executeTakeFirst())?.id,
      );
      const next = await services.reports.submitReport(completeReport(), { actor: 'test' });
      const added = await target.db
        .selectFrom('report_indicators')
        .select('id')
        .where('report_id', '=', next.reportId)
        .execute();
      expect(added.length).toBeGreaterThan(0);
      expect(Math.min(...added.map((row) => Number(row.id)))).toBeGreaterThan(highest);
    } finally {
      await services.close();
    }
  });

  it('refuses a target that already holds rows, and leaves it as it was', async () => {
    const held = await counts(target, tables);
    await expect(copyToPostgres({ from: sqlite.filename!, to: target.location as never })).rejects.toBeInstanceOf(
      CopyRefusedError,
    );
    expect(await counts(target, tables)).toEqual(held);
  });

  it('rolls the whole copy back when a table does not read back as it was written', async () => {
    const fresh = await createTestDatabase('postgres');
    try {
      // A target that changes what it is given (a trigger someone left behind): the checksum must see it.
      await sql`create function tamper() returns trigger language plpgsql as $$
        begin new.content_enc := 'changed'; return new; end $$`.execute(fresh.db);
      await sql`create trigger tamper before insert on reports for each row execute function tamper()`.execute(
        fresh.db,
      );
      await expect(copyToPostgres({ from: sqlite.filename!, to: fresh.location as never })).rejects.toBeInstanceOf(
        CopyVerificationError,
      );
      expect(Object.values(await counts(fresh, tables)).every((count) => count === 0)).toBe(true);
    } finally {
      await fresh.dispose();
    }
  });

  it('refuses a source file that does not exist instead of creating one', async () => {
    const fresh = await createTestDatabase('postgres');
    try {
      await expect(copyToPostgres({ from: `${sqlite.filename}.missing`, to: fresh.location as never })).rejects.toThrow(
        /no SQLite database/,
      );
    } finally {
      await fresh.dispose();
    }
  });
});
