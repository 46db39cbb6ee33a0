import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import nodemailer from 'nodemailer';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { assembleIntake, type Intake } from '../../app/assemble-intake.js';
import { createI18n, defaultLocalesDir, loadLocaleResources } from '../../intake/i18n/create-i18n.js';
import type { FraudDesk } from '../../intake/mules/fraud-desks.js';
import { FreezeRequestError } from '../../intake/mules/freeze-request-error.js';
import { listFreezeRequests, freezeRequestsOfReport } from '../../intake/mules/freeze-requests.js';
import { sendFreezeRequest, type SendFreezeRequestDependencies } from '../../intake/mules/send-freeze-request.js';
import type { ReportInput } from '../../intake/report/report-schema.js';
import { MailOutboxWorker } from '../../intake/mail/mail-outbox-worker.js';
import { listAuditEvents } from '../../intake/store/audit-log.js';
import { openDatabase } from '../../intake/store/open-database.js';
import { AuditInsertRefused, refuseAuditInserts } from '../cases/case-fixture.js';
import { mailText, startSmtpReceiver } from '../support/case-receivers.js';
import { testCipher } from '../support/fixtures.js';
import {
  createTestDatabase,
  testDatabaseKinds,
  warnIfPostgresSkipped,
  type TestDatabase,
} from '../support/test-databases.js';

warnIfPostgresSkipped();
const i18n = createI18n(loadLocaleResources(defaultLocalesDir));
const hour = 60 * 60_000;
const desks: FraudDesk[] = [
  {
    id: 'kb-kookmin-fraud',
    name: 'KB Kookmin Bank fraud desk',
    accounts: ['kb-kookmin'],
    email: { to: ['fraud-desk@bank.example'] },
    language: 'ko',
    source: 'test agreement',
  },
];

/** A Korean victim who paid the mule account `to` on `date`. */
function paidReport(to: string, date: string, amount = 5_000_000, extra: Partial<ReportInput> = {}): ReportInput {
  return {
    channel: 'web',
    language: 'ko',
    consent: { shareWithLawEnforcement: true },
    victim: { nationality: 'KR', residenceCountry: 'KR' },
    incident: { category: 'voice_phishing', narrative: '검찰이라고 했어요' },
    losses: {
      payments: [
        { date, amount, currency: 'KRW', method: 'bank_transfer', toAccount: to, transactionHash: 'TRX-20260309-0042' },
      ],
    },
    ...extra,
  };
}

describe.each(testDatabaseKinds)('freeze requests for accounts paid recently (%s)', (kind) => {
  let database: TestDatabase;
  let intake: Intake;
  let smtp: Awaited<ReturnType<typeof startSmtpReceiver>>;
  let at: Date;
  const now = () => at;

  beforeAll(async () => {
    smtp = await startSmtpReceiver();
  });
  afterAll(async () => {
    await smtp?.close();
  });
  beforeEach(async () => {
    at = new Date('2026-03-10T08:00:00.000Z');
    smtp.messages.length = 0;
    database = await createTestDatabase(kind);
    intake = assembleIntake({
      db: database.db,
      cipher: testCipher(),
      now,
      freezeRequests: { recentDays: 7, hours: 2 },
    });
  });
  afterEach(async () => {
    await database?.dispose();
  });

  const reads = () => ({ db: database.db, cipher: intake.cipher, desks });
  const sender = (db = database.db): SendFreezeRequestDependencies => ({
    db,
    cipher: intake.cipher,
    desks,
    now,
    i18n,
    mailConfigured: true,
  });
  const transports: Array<ReturnType<typeof nodemailer.createTransport>> = [];
  /** A mail outbox worker over its own connection to the test's database, as another instance would run one. */
  const workerOver = (db = database.db) => {
    const transport = nodemailer.createTransport(smtp.url);
    transports.push(transport);
    return new MailOutboxWorker({
      db,
      cipher: intake.cipher,
      mail: { transport, from: 'hotline@reportline.example' },
      now,
      baseDelayMs: 60_000,
      maxDelayMs: 60_000,
      random: () => 1,
    });
  };
  afterEach(() => {
    for (const transport of transports.splice(0)) transport.close();
  });
  const actions = async (reportId: string) =>
    (await listAuditEvents(database.db, { reportId })).map((event) => event.action);
  const mailRows = () => database.db.selectFrom('mail_outbox').selectAll().execute();

  it('makes one note for a payment yesterday to a bank account, and none again when the report is redelivered or amended', async () => {
    const input = paidReport('KB국민은행 123-456-789012', '2026-03-09');
    const first = await intake.reports.submitReport(input, {
      actor: 'public',
      idempotency: { scope: 'api', key: 'k1' },
    });
    const again = await intake.reports.submitReport(input, {
      actor: 'public',
      idempotency: { scope: 'api', key: 'k1' },
    });
    expect(again.replayed).toBe(true);
    await intake.amendments.amend({
      reportId: first.reportId,
      actor: 'channel:web',
      channel: 'web',
      changes: {
        losses: {
          payments: [
            { date: '2026-03-10', amount: 1_000_000, currency: 'KRW', toAccount: 'KB국민은행 123-456-789012' },
          ],
        },
      },
    });

    const notes = await freezeRequestsOfReport(reads(), first.reportId, at);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({
      reference: first.reference,
      accountKind: 'bank_account',
      account: { value: 'kb-kookmin:123456789012' },
      bank: 'kb-kookmin',
      desk: { id: 'kb-kookmin-fraud' },
      amount: 5_000_000,
      currency: 'KRW',
      paidOn: '2026-03-09',
      references: ['TRX-20260309-0042'],
      dueAt: '2026-03-10T10:00:00.000Z',
      msLeft: 2 * hour,
      sentAt: null,
    });
    // The amendment's payment is counted with the account all the same.
    const payments = await database.db.selectFrom('account_payments').selectAll().execute();
    expect(payments.map((row) => row.amount).sort()).toEqual([1_000_000, 5_000_000]);
    const created = (await listAuditEvents(database.db, { reportId: first.reportId })).filter(
      (event) => event.action === 'freeze_request.created',
    );
    expect(created).toHaveLength(1);
  });

  it('makes none for a payment a month ago, nor for one without a date', async () => {
    const old = await intake.reports.submitReport(paidReport('KB국민은행 123-456-789012', '2026-02-08'), {
      actor: 'public',
    });
    const undated = paidReport('KB국민은행 555-444-333222', '2026-03-09');
    delete undated.losses!.payments![0]!.date;
    const none = await intake.reports.submitReport(undated, { actor: 'public' });
    expect(await freezeRequestsOfReport(reads(), old.reportId, at)).toEqual([]);
    expect(await freezeRequestsOfReport(reads(), none.reportId, at)).toEqual([]);
    expect(await database.db.selectFrom('account_payments').select('report_id').execute()).toHaveLength(2);
  });

  it('lists the open requests overdue first, with their time left, and the sent ones apart', async () => {
    const early = await intake.reports.submitReport(paidReport('KB국민은행 111-222-333444', '2026-03-08'), {
      actor: 'public',
    });
    at = new Date(at.getTime() + 90 * 60_000);
    const later = await intake.reports.submitReport(paidReport('신한은행 110-123-456789', '2026-03-10'), {
      actor: 'public',
    });
    at = new Date(at.getTime() + 60 * 60_000);
    const { open, sent } = await listFreezeRequests(reads(), at);
    expect(open.map((note) => note.reportId)).toEqual([early.reportId, later.reportId]);
    expect(open.map((note) => note.msLeft)).toEqual([-30 * 60_000, 60 * 60_000]);
    expect(open[1]).toMatchObject({ bank: 'shinhan', desk: null });
    expect(sent).toEqual([]);
  });

  it('queues one e-mail for two presses at once and a form posted again, and the worker sends it once, audited', async () => {
    const report = await intake.reports.submitReport(paidReport('KB국민은행 123-456-789012', '2026-03-09'), {
      actor: 'public',
    });
    const [note] = await freezeRequestsOfReport(reads(), report.reportId, at);
    at = new Date(at.getTime() + 30 * 60_000);
    // Two members of staff press at once: one queues it, the other is told it is queued already.
    const results = await Promise.allSettled([
      sendFreezeRequest(sender(), { id: note!.id, actor: 'user:alice' }),
      sendFreezeRequest(sender(), { id: note!.id, actor: 'user:bob' }),
    ]);
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    const refusal = results.find((result) => result.status === 'rejected') as PromiseRejectedResult;
    expect(refusal.reason).toBeInstanceOf(FreezeRequestError);
    expect(refusal.reason.code).toBe('freeze_request.already_queued');
    // The same form posted again (a browser's retry) queues nothing more.
    await expect(sendFreezeRequest(sender(), { id: note!.id, actor: 'user:alice' })).rejects.toMatchObject({
      code: 'freeze_request.already_queued',
    });
    expect(await mailRows()).toHaveLength(1);
    expect((await freezeRequestsOfReport(reads(), report.reportId, at))[0]).toMatchObject({
      sentAt: null,
      mail: { status: 'pending', attempts: 0, lastError: null },
    });
    // What staff pressed is stored encrypted: the account number is not readable in the outbox row.
    expect(JSON.stringify(await mailRows())).not.toContain('123456789012');

    expect(await workerOver().runOnce()).toBe(1);
    expect(await workerOver().runOnce()).toBe(0);
    expect(smtp.messages).toHaveLength(1);
    expect(smtp.messages[0]!.to).toEqual(['fraud-desk@bank.example']);
    const mail = mailText(smtp.messages[0]!.raw);
    expect(mail).toContain('kb-kookmin:123456789012');
    expect(mail).toContain('TRX-20260309-0042');
    expect(mail).toContain(report.reference);
    // Nothing of what the person wrote about themselves or the scam.
    expect(mail).not.toContain('검찰');
    const [row] = await mailRows();
    expect(smtp.messages[0]!.raw).toContain(`<${row!.id}@reportline>`);
    const events = (await listAuditEvents(database.db, { reportId: report.reportId })).filter((event) =>
      event.action.startsWith('freeze_request.'),
    );
    expect(events.map((event) => [event.action, event.actor])).toEqual([
      ['freeze_request.created', 'public'],
      ['freeze_request.queued', expect.stringMatching(/^user:(alice|bob)$/)],
      ['freeze_request.sent', events[1]!.actor],
    ]);
    expect(events[2]!.detail).toMatchObject({ freezeRequest: note!.id, desk: 'kb-kookmin-fraud', attempts: 1 });
    const { open, sent } = await listFreezeRequests(reads(), at);
    expect(open).toEqual([]);
    expect(sent[0]).toMatchObject({
      id: note!.id,
      sentTo: 'kb-kookmin-fraud',
      msLeft: null,
      sentAt: at.toISOString(),
      mail: { status: 'sent' },
    });
    await expect(sendFreezeRequest(sender(), { id: note!.id, actor: 'user:alice' })).rejects.toMatchObject({
      code: 'freeze_request.already_sent',
    });
  });

  it('queues nothing when the press cannot be audited', async () => {
    const report = await intake.reports.submitReport(paidReport('KB국민은행 123-456-789012', '2026-03-09'), {
      actor: 'public',
    });
    const [note] = await freezeRequestsOfReport(reads(), report.reportId, at);
    await expect(
      sendFreezeRequest(sender(database.db.withPlugin(refuseAuditInserts)), { id: note!.id, actor: 'user:alice' }),
    ).rejects.toBeInstanceOf(AuditInsertRefused);
    expect(await mailRows()).toEqual([]);
    expect(await workerOver().runOnce()).toBe(0);
    expect(smtp.messages).toHaveLength(0);
    expect(await actions(report.reportId)).not.toContain('freeze_request.queued');
  });

  it('sends once when the mail server fails twice, and shows the tries; a refusal for good is shown failed and Send queues it again', async () => {
    const first = await intake.reports.submitReport(paidReport('KB국민은행 123-456-789012', '2026-03-09'), {
      actor: 'public',
    });
    const [note] = await freezeRequestsOfReport(reads(), first.reportId, at);
    await sendFreezeRequest(sender(), { id: note!.id, actor: 'user:alice' });
    smtp.refuse(451, 451);
    const worker = workerOver();
    expect(await worker.runOnce()).toBe(1);
    expect((await freezeRequestsOfReport(reads(), first.reportId, at))[0]!.mail).toEqual({
      status: 'pending',
      attempts: 1,
      lastError: 'smtp.451',
    });
    // Not due again before its backoff has passed.
    expect(await worker.runOnce()).toBe(0);
    at = new Date(at.getTime() + 61_000);
    expect(await worker.runOnce()).toBe(1);
    at = new Date(at.getTime() + 61_000);
    expect(await worker.runOnce()).toBe(1);
    expect(smtp.messages).toHaveLength(1);
    expect((await freezeRequestsOfReport(reads(), first.reportId, at))[0]).toMatchObject({
      sentTo: 'kb-kookmin-fraud',
      mail: { status: 'sent', attempts: 3 },
    });
    expect((await actions(first.reportId)).filter((action) => action === 'freeze_request.sent')).toHaveLength(1);

    const second = await intake.reports.submitReport(paidReport('KB국민은행 999-888-777666', '2026-03-09'), {
      actor: 'public',
    });
    const [other] = await freezeRequestsOfReport(reads(), second.reportId, at);
    await sendFreezeRequest(sender(), { id: other!.id, actor: 'user:bob' });
    smtp.refuse(550);
    expect(await worker.runOnce()).toBe(1);
    expect((await freezeRequestsOfReport(reads(), second.reportId, at))[0]).toMatchObject({
      sentAt: null,
      lastError: 'smtp.550',
      mail: { status: 'failed', attempts: 1, lastError: 'smtp.550' },
    });
    const failed = (await listAuditEvents(database.db, { reportId: second.reportId })).find(
      (event) => event.action === 'freeze_request.send_failed',
    );
    expect(failed).toMatchObject({ actor: 'user:bob', detail: { code: 'smtp.550', attempts: 1 } });
    // Given up, it is not tried again by itself; Send puts it back in the queue, and it goes out.
    at = new Date(at.getTime() + 60 * 60_000);
    expect(await worker.runOnce()).toBe(0);
    await expect(sendFreezeRequest(sender(), { id: other!.id, actor: 'user:bob' })).resolves.toMatchObject({
      outcome: 'queued_again',
    });
    expect(await worker.runOnce()).toBe(1);
    expect(smtp.messages).toHaveLength(2);
    expect(await database.db.selectFrom('mail_outbox').select('id').execute()).toHaveLength(2);
  });

  it('sends an e-mail once when the worker that claimed it was killed, after its lease, and once with two workers', async () => {
    const references: string[] = [];
    for (const account of ['KB국민은행 111-111-111111', 'KB국민은행 222-222-222222', 'KB국민은행 333-333-333333']) {
      const report = await intake.reports.submitReport(paidReport(account, '2026-03-09'), { actor: 'public' });
      references.push(report.reference);
      const [note] = await freezeRequestsOfReport(reads(), report.reportId, at);
      await sendFreezeRequest(sender(), { id: note!.id, actor: 'user:alice' });
    }
    // A worker in another process claims the first e-mail and dies before the mail server answers: its SMTP
    // connection hangs, and its process (its database connection) is gone.
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const killedDb = openDatabase(database.location);
    const hanging = nodemailer.createTransport({
      host: '127.0.0.1',
      port: (silent.address() as AddressInfo).port,
      greetingTimeout: 5_000,
    });
    const killed = new MailOutboxWorker({
      db: killedDb,
      cipher: intake.cipher,
      mail: { transport: hanging, from: 'hotline@reportline.example' },
      now,
      concurrency: 1,
      leaseMs: 60_000,
    });
    const abandoned = killed.runOnce().catch(() => 0);
    await vi.waitFor(async () => {
      const leased = await database.db
        .selectFrom('mail_outbox')
        .select('id')
        .where('lease_until', 'is not', null)
        .execute();
      expect(leased).toHaveLength(1);
    });
    await killedDb.destroy();

    // Two workers of the living instances share the rest at once; the claimed one waits for its lease.
    const [a, b] = [workerOver(openDatabase(database.location)), workerOver(openDatabase(database.location))];
    const tried = await Promise.all([a.runOnce(), b.runOnce()]);
    expect(tried[0] + tried[1]).toBe(2);
    expect(smtp.messages).toHaveLength(2);
    at = new Date(at.getTime() + 61_000);
    const later = await Promise.all([a.runOnce(), b.runOnce()]);
    expect(later[0] + later[1]).toBe(1);
    expect(smtp.messages).toHaveLength(3);
    const messageIds = smtp.messages.map((message) => /message-id:\s*(\S+)/i.exec(message.raw)?.[1]);
    expect(new Set(messageIds).size).toBe(3);
    for (const reference of references)
      expect(smtp.messages.some((m) => mailText(m.raw).includes(reference))).toBe(true);
    const sentEvents = await database.db
      .selectFrom('audit_events')
      .select('action')
      .where('action', '=', 'freeze_request.sent')
      .execute();
    expect(sentEvents).toHaveLength(3);
    hanging.close();
    silent.close();
    await abandoned;
  });

  it('tells staff when the directory has no fraud desk for the bank, and keeps the request open', async () => {
    const report = await intake.reports.submitReport(paidReport('신한은행 110-123-456789', '2026-03-09'), {
      actor: 'public',
    });
    const [note] = await freezeRequestsOfReport(reads(), report.reportId, at);
    await expect(sendFreezeRequest(sender(), { id: note!.id, actor: 'user:alice' })).rejects.toMatchObject({
      code: 'freeze_request.no_fraud_desk',
    });
    // A bank with a desk, but no SMTP_URL: nothing is queued that could never be sent.
    const known = await intake.reports.submitReport(paidReport('KB국민은행 123-456-789012', '2026-03-09'), {
      actor: 'public',
    });
    const [deskKnown] = await freezeRequestsOfReport(reads(), known.reportId, at);
    await expect(
      sendFreezeRequest({ ...sender(), mailConfigured: false }, { id: deskKnown!.id, actor: 'user:alice' }),
    ).rejects.toMatchObject({ code: 'freeze_request.mail_not_configured' });
    expect(await mailRows()).toEqual([]);
    expect(smtp.messages).toHaveLength(0);
    expect((await listFreezeRequests(reads(), at)).open.map((open) => open.id)).toEqual([note!.id, deskKnown!.id]);
  });
});
