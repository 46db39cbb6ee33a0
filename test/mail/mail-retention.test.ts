import nodemailer from 'nodemailer';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { assembleIntake, type Intake } from '../../app/assemble-intake.js';
import { createI18n, defaultLocalesDir, loadLocaleResources } from '../../intake/i18n/create-i18n.js';
import { MailOutboxWorker } from '../../intake/mail/mail-outbox-worker.js';
import type { FraudDesk } from '../../intake/mules/fraud-desks.js';
import { freezeRequestsOfReport } from '../../intake/mules/freeze-requests.js';
import { sendFreezeRequest } from '../../intake/mules/send-freeze-request.js';
import type { ReportInput } from '../../intake/report/report-schema.js';
import { purgeExpiredRecords } from '../../intake/store/retention.js';
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
const day = 24 * 60 * 60_000;
const policy = { abandonedConversationDays: 30, handledWebhookDays: 7, settledMailDays: 30 };
const desks: FraudDesk[] = [
  {
    id: 'kb-kookmin-fraud',
    name: 'KB Kookmin Bank fraud desk',
    accounts: ['kb-kookmin'],
    email: { to: ['fraud-desk@bank.example'] },
    source: 'test agreement',
  },
];

function paidReport(to: string): ReportInput {
  return {
    channel: 'web',
    language: 'ko',
    consent: { shareWithLawEnforcement: true },
    victim: { nationality: 'KR', residenceCountry: 'KR' },
    incident: { category: 'voice_phishing', narrative: '검찰이라고 했어요' },
    losses: { payments: [{ date: '2026-03-09', amount: 5_000_000, currency: 'KRW', toAccount: to }] },
  };
}

describe.each(testDatabaseKinds)('the retention clean-up of the mail outbox (%s)', (kind) => {
  let database: TestDatabase;
  let intake: Intake;
  let smtp: Awaited<ReturnType<typeof startSmtpReceiver>>;
  let transport: ReturnType<typeof nodemailer.createTransport>;
  let at: Date;
  const now = () => at;

  beforeAll(async () => {
    smtp = await startSmtpReceiver();
    transport = nodemailer.createTransport(smtp.url);
  });
  afterAll(async () => {
    transport?.close();
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

  const sender = () => ({ db: database.db, cipher: intake.cipher, desks, now, i18n, mailConfigured: true });
  const worker = () =>
    new MailOutboxWorker({
      db: database.db,
      cipher: intake.cipher,
      mail: { transport, from: 'hotline@reportline.example' },
      now,
      maxAttempts: 1,
    });
  /** A report paying `to`, and its freeze request's e-mail queued by a press of Send. */
  const queued = async (to: string) => {
    const { reportId } = await intake.reports.submitReport(paidReport(to), { actor: 'public' });
    const [request] = await freezeRequestsOfReport({ db: database.db, cipher: intake.cipher, desks }, reportId, at);
    await sendFreezeRequest(sender(), { id: request!.id, actor: 'user:alice' });
    return { reportId, id: request!.id };
  };
  const mailStatuses = async () =>
    (await database.db.selectFrom('mail_outbox').select(['freeze_request_id', 'status']).execute())
      .map((row) => `${row.freeze_request_id}:${row.status}`)
      .sort();

  it('deletes e-mails sent or given up longer ago than the period, never one still to be sent, however old', async () => {
    const sent = await queued('KB국민은행 123-456-789012');
    await worker().runOnce();
    const givenUp = await queued('KB국민은행 222-333-444555');
    smtp.refuse(550);
    await worker().runOnce();
    // Queued when the mail server could not be reached, and still to be sent: the worker is not running.
    const waiting = await queued('KB국민은행 666-777-888999');
    expect(await mailStatuses()).toEqual([`${sent.id}:sent`, `${givenUp.id}:failed`, `${waiting.id}:pending`].sort());

    // Within the period nothing goes: a bounce can still be matched to its e-mail.
    const early = await purgeExpiredRecords(database.db, policy, new Date(at.getTime() + 29 * day));
    expect(early.mails).toBe(0);
    const later = await purgeExpiredRecords(database.db, policy, new Date(at.getTime() + 31 * day));
    expect(later.mails).toBe(2);
    expect(await mailStatuses()).toEqual([`${waiting.id}:pending`]);

    // What the e-mails did stays: the request sent, the given-up one's code, and their audit events.
    const [sentView] = await freezeRequestsOfReport(
      { db: database.db, cipher: intake.cipher, desks },
      sent.reportId,
      at,
    );
    expect(sentView).toMatchObject({ sentTo: 'kb-kookmin-fraud', mail: null });
    expect(sentView!.sentAt).not.toBeNull();
    const [failedView] = await freezeRequestsOfReport(
      { db: database.db, cipher: intake.cipher, desks },
      givenUp.reportId,
      at,
    );
    expect(failedView).toMatchObject({ sentAt: null, lastError: 'smtp.550', mail: null });
    const audited = await database.db
      .selectFrom('audit_events')
      .select('action')
      .where('action', 'in', ['freeze_request.sent', 'freeze_request.send_failed'])
      .execute();
    expect(audited).toHaveLength(2);

    // The given-up request's e-mail is gone: Send queues it anew, and it goes out once.
    at = new Date(at.getTime() + 31 * day);
    await expect(sendFreezeRequest(sender(), { id: givenUp.id, actor: 'user:bob' })).resolves.toMatchObject({
      outcome: 'queued',
    });
    await worker().runOnce();
    expect(smtp.messages).toHaveLength(3);
  });
});
