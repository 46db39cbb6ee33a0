import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { viewCase } from '../../intake/cases/view-case.js';
import { systemClock } from '../../intake/clock.js';
import { parseReportInput, ReportValidationError } from '../../intake/report/validate-report.js';
import { listAuditEvents } from '../../intake/store/audit-log.js';
import { IdempotencyConflictError, ReportStore } from '../../intake/store/report-store.js';
import { completeReport, minimalReport, testCipher } from '../support/fixtures.js';
import {
  createTestDatabase,
  testDatabaseKinds,
  warnIfPostgresSkipped,
  type TestDatabase,
} from '../support/test-databases.js';

warnIfPostgresSkipped();

describe.each(testDatabaseKinds)('the report store on %s', (kind) => {
  let database: TestDatabase;
  let store: ReportStore;
  const cipher = testCipher();

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    store = new ReportStore({ db: database.db, cipher });
  });
  afterAll(async () => database?.dispose());

  const countRows = async (table: 'reports' | 'report_indicators' | 'audit_events' | 'idempotency_keys') =>
    Number(
      (
        await database.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('stores a complete report and reads every field back intact', async () => {
    const input = completeReport();
    const result = await store.submitReport(input, { actor: 'test' });
    expect(result.reference).toMatch(/^RL-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(result.receiptCode).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(result.urgent).toBe(true);
    expect(result.replayed).toBe(false);

    const stored = await store.getReport(result.reference.toLowerCase());
    expect(stored).toBeDefined();
    const { id, reference, status, urgent, createdAt, updatedAt, ...content } = stored!.report;
    expect(content).toEqual(parseReportInput(input));
    expect({ reference, status, urgent }).toEqual({ reference: result.reference, status: 'new', urgent: true });
    expect(id).toBe(result.reportId);
    expect(Date.parse(createdAt)).toBeGreaterThan(Date.now() - 60_000);
    expect(updatedAt).toBe(createdAt);
  });

  it('stores the indicators of a report with it, normalized', async () => {
    const result = await store.submitReport(completeReport(), { actor: 'test' });
    const stored = await store.getReport(result.reference);
    const byKind = new Map(stored!.indicators.map((indicator) => [`${indicator.kind}:${indicator.value}`, indicator]));
    expect(byKind.get('phone:+85512345678')).toMatchObject({
      original: '+855 12 345 678',
      source: 'suspects.phones.0',
    });
    expect(
      [...byKind.keys()].some(
        (key) => key.startsWith('crypto_address:') && key.includes('TThj8QM1oAy46uZhb3wguApBpMZooSDtKk'),
      ),
    ).toBe(true);
    expect([...byKind.keys()]).toContain('email:hr@global-job-asia.example');
    // The reporter's own phone number is personal data, not a lead on the suspects.
    expect([...byKind.keys()].some((key) => key.includes('1023456789'))).toBe(false);
  });

  it('accepts the smallest report: only the consent answer', async () => {
    const result = await store.submitReport(minimalReport(), { actor: 'test' });
    const stored = await store.getReport(result.reference);
    expect(stored!.report.consent.shareWithLawEnforcement).toBe(false);
    expect(stored!.indicators).toEqual([]);
    expect(result.urgent).toBe(false);
  });

  it('keeps personal data encrypted at rest', async () => {
    const input = completeReport();
    const result = await store.submitReport(input, { actor: 'test' });
    const secrets = [
      input.reporter!.name!,
      input.reporter!.contact!,
      input.reporter!.phone!,
      input.victim!.nameOrAlias!,
      '여권을 빼앗겼습니다',
      'hr@global-job-asia.example',
      '+85512345678',
      result.receiptCode,
    ];
    const row = await database.db
      .selectFrom('reports')
      .selectAll()
      .where('reference', '=', result.reference)
      .executeTakeFirstOrThrow();
    const indicatorRows = await database.db
      .selectFrom('report_indicators')
      .selectAll()
      .where('report_id', '=', row.id)
      .execute();
    expect(indicatorRows.length).toBeGreaterThan(0);
    const storedText = JSON.stringify([row, indicatorRows]);
    for (const secret of secrets) expect(storedText).not.toContain(secret);

    if (database.filename) {
      // Everything SQLite has written to disk: the database file and its write-ahead log.
      const folder = dirname(database.filename);
      const onDisk = readdirSync(folder)
        .map((file) => readFileSync(join(folder, file)))
        .reduce((all, bytes) => Buffer.concat([all, bytes]), Buffer.alloc(0));
      for (const secret of secrets) expect(onDisk.includes(Buffer.from(secret, 'utf8'))).toBe(false);
    }
  });

  it('verifies a receipt code against its reference, and nothing else', async () => {
    const first = await store.submitReport(minimalReport(), { actor: 'test' });
    const second = await store.submitReport(minimalReport(), { actor: 'test' });
    expect(await store.verifyReceipt(first.reference, first.receiptCode)).toBe(first.reportId);
    expect(await store.verifyReceipt(first.reference, first.receiptCode.toLowerCase().replace(/-/g, ' '))).toBe(
      first.reportId,
    );
    expect(await store.verifyReceipt(first.reference, second.receiptCode)).toBeUndefined();
    expect(await store.verifyReceipt('RL-0000-0000', first.receiptCode)).toBeUndefined();
    expect(await store.verifyReceipt(first.reference, 'not a code')).toBeUndefined();
  });

  it('rejects an invalid report and stores nothing', async () => {
    const before = await countRows('reports');
    await expect(
      store.submitReport(
        { consent: { shareWithLawEnforcement: true }, incident: { category: 'lottery' } },
        { actor: 'test' },
      ),
    ).rejects.toBeInstanceOf(ReportValidationError);
    expect(await countRows('reports')).toBe(before);
  });

  it('writes all of a report or none of it', async () => {
    const before = await Promise.all([
      countRows('reports'),
      countRows('report_indicators'),
      countRows('idempotency_keys'),
    ]);
    // Make the last write of the transaction (the audit event) fail.
    if (kind === 'postgres') {
      await sql`create function block_audit() returns trigger language plpgsql as $$ begin raise exception 'disk full'; end $$`.execute(
        database.db,
      );
      await sql`create trigger block_audit before insert on audit_events for each row execute function block_audit()`.execute(
        database.db,
      );
    } else {
      await sql`create trigger block_audit before insert on audit_events begin select raise(abort, 'disk full'); end`.execute(
        database.db,
      );
    }
    try {
      await expect(
        store.submitReport(completeReport(), { actor: 'test', idempotency: { scope: 'test', key: 'atomic' } }),
      ).rejects.toThrow(/disk full/);
    } finally {
      if (kind === 'postgres') {
        await sql`drop trigger block_audit on audit_events`.execute(database.db);
        await sql`drop function block_audit()`.execute(database.db);
      } else {
        await sql`drop trigger block_audit`.execute(database.db);
      }
    }
    const after = await Promise.all([
      countRows('reports'),
      countRows('report_indicators'),
      countRows('idempotency_keys'),
    ]);
    expect(after).toEqual(before);
  });

  it('returns the first result for a retried idempotency key and stores nothing new', async () => {
    const idempotency = { scope: 'api:reports', key: `retry-${kind}` };
    const first = await store.submitReport(completeReport(), { actor: 'test', idempotency });
    const reportsBefore = await countRows('reports');
    const auditBefore = await countRows('audit_events');
    const retry = await store.submitReport(completeReport(), { actor: 'test', idempotency });
    expect(retry).toEqual({ ...first, replayed: true });
    expect(await countRows('reports')).toBe(reportsBefore);
    expect(await countRows('audit_events')).toBe(auditBefore);
  });

  it('stores one report when the same key arrives twice at the same moment', async () => {
    const idempotency = { scope: 'api:reports', key: `race-${kind}` };
    const before = await countRows('reports');
    const [a, b] = await Promise.all([
      store.submitReport(minimalReport(), { actor: 'test', idempotency }),
      store.submitReport(minimalReport(), { actor: 'test', idempotency }),
    ]);
    expect(a.reference).toBe(b.reference);
    expect(a.receiptCode).toBe(b.receiptCode);
    expect(await countRows('reports')).toBe(before + 1);
  });

  it('refuses an idempotency key reused for a different report', async () => {
    const idempotency = { scope: 'api:reports', key: `conflict-${kind}` };
    await store.submitReport(minimalReport(), { actor: 'test', idempotency });
    await expect(store.submitReport(completeReport(), { actor: 'test', idempotency })).rejects.toBeInstanceOf(
      IdempotencyConflictError,
    );
  });

  it('appends an audit event for every report created and viewed, and the log cannot be rewritten', async () => {
    const result = await store.submitReport(completeReport(), { actor: 'token:abc' });
    // A look at the case, as an administrator's token reads it through the view use case.
    await viewCase(
      { db: database.db, cipher, now: systemClock },
      { auditId: 'token:admin-1', role: 'admin' },
      result.reference,
      async () => true,
    );
    const events = await listAuditEvents(database.db, { reportId: result.reportId });
    expect(events.map((event) => [event.actor, event.action])).toEqual([
      ['token:abc', 'report.created'],
      ['token:admin-1', 'report.viewed'],
    ]);
    expect(events[0]!.detail).toMatchObject({ channel: 'api', urgent: true });
    expect(JSON.stringify(events)).not.toContain('김민지');

    await expect(sql`update audit_events set actor = 'someone else'`.execute(database.db)).rejects.toThrow(
      /append-only/,
    );
    await expect(sql`delete from audit_events`.execute(database.db)).rejects.toThrow(/append-only/);
    expect((await listAuditEvents(database.db, { reportId: result.reportId }))[0]!.actor).toBe('token:abc');
  });

  it('answers undefined for an unknown or malformed reference', async () => {
    expect(await store.getReport('RL-0000-0000')).toBeUndefined();
    expect(await store.getReport('not-a-reference')).toBeUndefined();
  });
});
