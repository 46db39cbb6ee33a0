import nodemailer from 'nodemailer';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { assembleIntake, type Intake } from '../../app/assemble-intake.js';
import { createI18n, defaultLocalesDir, loadLocaleResources } from '../../intake/i18n/create-i18n.js';
import type { FraudDesk } from '../../intake/mules/fraud-desks.js';
import { FreezeRequestError } from '../../intake/mules/freeze-request-error.js';
import { listFreezeRequests, freezeRequestsOfReport } from '../../intake/mules/freeze-requests.js';
import { sendFreezeRequest, type SendFreezeRequestDependencies } from '../../intake/mules/send-freeze-request.js';
import type { ReportInput } from '../../intake/report/report-schema.js';
import { listAuditEvents } from '../../intake/store/audit-log.js';
import { startSmtpReceiver } from '../support/case-receivers.js';
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

/** The text of a received mail, whichever transfer encoding nodemailer chose for it. */
function mailBody(raw: string): string {
  const [head = '', ...rest] = raw.split(/\r?\n\r?\n/);
  const body = rest.join('\n\n');
  if (/content-transfer-encoding:\s*base64/i.test(head))
    return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (/content-transfer-encoding:\s*quoted-printable/i.test(head))
    return Buffer.from(
      body
        .replace(/=\r?\n/g, '')
        .replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
      'latin1',
    ).toString('utf8');
  return body;
}

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
  const sender = (): SendFreezeRequestDependencies => ({
    ...reads(),
    now,
    i18n,
    mail: { transport: nodemailer.createTransport(smtp.url), from: 'hotline@reportline.example' },
  });

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

  it('sends a request to the bank’s fraud desk once, audited, and refuses a second send', async () => {
    const report = await intake.reports.submitReport(paidReport('KB국민은행 123-456-789012', '2026-03-09'), {
      actor: 'public',
    });
    const [note] = await freezeRequestsOfReport(reads(), report.reportId, at);
    at = new Date(at.getTime() + 30 * 60_000);
    // Two members of staff press at once: one sends, the other is told it is being sent or was.
    const results = await Promise.allSettled([
      sendFreezeRequest(sender(), { id: note!.id, actor: 'user:alice' }),
      sendFreezeRequest(sender(), { id: note!.id, actor: 'user:bob' }),
    ]);
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    const refusal = results.find((result) => result.status === 'rejected') as PromiseRejectedResult;
    expect(refusal.reason).toBeInstanceOf(FreezeRequestError);
    expect(['freeze_request.being_sent', 'freeze_request.already_sent']).toContain(refusal.reason.code);
    await expect(sendFreezeRequest(sender(), { id: note!.id, actor: 'user:alice' })).rejects.toMatchObject({
      code: 'freeze_request.already_sent',
    });

    expect(smtp.messages).toHaveLength(1);
    expect(smtp.messages[0]!.to).toEqual(['fraud-desk@bank.example']);
    const mail = mailBody(smtp.messages[0]!.raw);
    expect(mail).toContain('kb-kookmin:123456789012');
    expect(mail).toContain('TRX-20260309-0042');
    expect(mail).toContain(report.reference);
    // Nothing of what the person wrote about themselves or the scam.
    expect(mail).not.toContain('검찰');
    expect(smtp.messages[0]!.raw).toContain(`<${note!.id}@reportline>`);
    const sentEvents = (await listAuditEvents(database.db, { reportId: report.reportId })).filter(
      (event) => event.action === 'freeze_request.sent',
    );
    expect(sentEvents).toHaveLength(1);
    expect(sentEvents[0]!.detail).toEqual({
      freezeRequest: note!.id,
      desk: 'kb-kookmin-fraud',
      accountKind: 'bank_account',
    });
    const { open, sent } = await listFreezeRequests(reads(), at);
    expect(open).toEqual([]);
    expect(sent[0]).toMatchObject({ id: note!.id, sentTo: 'kb-kookmin-fraud', msLeft: null, sentAt: at.toISOString() });
  });

  it('tells staff when the directory has no fraud desk for the bank, and keeps the request open', async () => {
    const report = await intake.reports.submitReport(paidReport('신한은행 110-123-456789', '2026-03-09'), {
      actor: 'public',
    });
    const [note] = await freezeRequestsOfReport(reads(), report.reportId, at);
    await expect(sendFreezeRequest(sender(), { id: note!.id, actor: 'user:alice' })).rejects.toMatchObject({
      code: 'freeze_request.no_fraud_desk',
    });
    expect(smtp.messages).toHaveLength(0);
    expect((await listFreezeRequests(reads(), at)).open.map((open) => open.id)).toEqual([note!.id]);
  });
});
