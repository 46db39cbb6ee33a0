import nodemailer from 'nodemailer';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { assembleIntake, type Intake } from '../../app/assemble-intake.js';
import { ConfigError, loadConfig } from '../../app/config.js';
import { MailOutboxWorker } from '../../intake/mail/mail-outbox-worker.js';
import { createCaseRouter } from '../../intake/routing/case-router.js';
import { countryName } from '../../intake/routing/display-names.js';
import { listAuditEvents } from '../../intake/store/audit-log.js';
import { SupervisorAlertMail } from '../../intake/urgent/supervisor-alert-mail.js';
import { UrgentClockWorker } from '../../intake/urgent/urgent-clock-worker.js';
import { refuseAuditInserts } from '../cases/case-fixture.js';
import { mailText, startSmtpReceiver } from '../support/case-receivers.js';
import { completeReport, testCipher } from '../support/fixtures.js';
import {
  createTestDatabase,
  testDatabaseKinds,
  warnIfPostgresSkipped,
  type TestDatabase,
} from '../support/test-databases.js';
import { clockTestDirectory, clockTestPolicy, i18n } from '../urgent/urgent-clock-harness.js';

warnIfPostgresSkipped();
const minute = 60_000;
const supervisors = ['duty-supervisor@hotline.example', 'night-lead@hotline.example'];
/** What completeReport() says about the people in it and what happened: none of it may reach the e-mail. */
const personal = [
  '김민지',
  'minji.kim@example.kr',
  '2345-6789',
  '김준호',
  '+855 12 345 678',
  '시아누크빌',
  '여권',
  '텔레그램',
];

describe.each(testDatabaseKinds)('the supervisors’ e-mail when an urgent case is not taken in time (%s)', (kind) => {
  let database: TestDatabase;
  let smtp: Awaited<ReturnType<typeof startSmtpReceiver>>;
  let intake: Intake;
  let at: Date;
  const now = () => at;
  const cipher = testCipher();
  const directory = clockTestDirectory({ kh: 'http://127.0.0.1:9/kh', aseanapol: 'http://127.0.0.1:9/aseanapol' });
  const transport = () => nodemailer.createTransport(smtp.url);

  beforeAll(async () => {
    smtp = await startSmtpReceiver();
  });
  afterAll(async () => {
    await smtp.close();
  });
  beforeEach(async () => {
    at = new Date('2026-12-01T10:00:00.000Z');
    smtp.messages.length = 0;
    database = await createTestDatabase(kind);
    intake = assembleIntake({
      db: database.db,
      cipher,
      router: createCaseRouter(directory),
      now,
      urgentClock: clockTestPolicy,
    });
  });
  afterEach(async () => {
    await database.dispose();
  });

  const clockWorker = (db = database.db) =>
    new UrgentClockWorker({
      db,
      cipher,
      directory,
      policy: clockTestPolicy,
      now,
      leaseMs: 30_000,
      supervisorMail: new SupervisorAlertMail({
        cipher,
        to: supervisors,
        t: i18n.getFixedT('th', 'delivery'),
        language: 'th',
        consoleBaseUrl: 'https://report.example.org',
      }),
    });
  const mailRows = () => database.db.selectFrom('mail_outbox').selectAll().execute();

  it('is queued with the clock step and its audit event, once, and sent once through a failing mail server', async () => {
    const { reportId, reference } = await intake.reports.submitReport(completeReport(), { actor: 'token:api' });
    at = new Date(at.getTime() + 16 * minute);
    // The audit log refuses the step's events: the step is not taken, and no e-mail is queued.
    await clockWorker(database.db.withPlugin(refuseAuditInserts)).runOnce();
    expect(await mailRows()).toEqual([]);
    const untouched = await database.db
      .selectFrom('urgent_clocks')
      .select('supervisor_alerted_at')
      .where('report_id', '=', reportId)
      .executeTakeFirstOrThrow();
    expect(untouched.supervisor_alerted_at).toBeNull();

    // Once the failed step's lease has passed, the step is taken, with its e-mail.
    at = new Date(at.getTime() + 31_000);
    const worker = clockWorker();
    await worker.runOnce();
    expect(await mailRows()).toHaveLength(1);
    const alerted = (await listAuditEvents(database.db, { reportId })).find(
      (event) => event.action === 'urgent.supervisor_alerted',
    );
    expect(alerted?.detail).toMatchObject({ supervisorEmails: 1 });
    // Later rounds, a restarted worker: no second e-mail for the same alert.
    at = new Date(at.getTime() + 10 * minute);
    await worker.runOnce();
    await clockWorker().runOnce();
    expect(await mailRows()).toHaveLength(1);
    // The message is stored encrypted: the outbox row does not show the reference or the addresses.
    expect(JSON.stringify(await mailRows())).not.toContain(supervisors[0]);

    const mailer = transport();
    const sender = new MailOutboxWorker({
      db: database.db,
      cipher,
      mail: { transport: mailer, from: 'Reportline <duty@reportline.example>' },
      now,
      baseDelayMs: 1_000,
      maxDelayMs: 1_000,
      random: () => 1,
    });
    smtp.refuse(451, 421);
    for (let round = 0; round < 3; round += 1) {
      expect(await sender.runOnce()).toBe(1);
      at = new Date(at.getTime() + 1_001);
    }
    expect(await sender.runOnce()).toBe(0);
    mailer.close();
    expect(smtp.messages).toHaveLength(1);
    const [message] = smtp.messages;
    expect(message!.to.sort()).toEqual([...supervisors].sort());
    const text = mailText(message!.raw);
    expect(text).toContain(reference);
    expect(text).toContain(`https://report.example.org/staff/cases/${reference}`);
    // In the deployment's language: the country is named in Thai.
    expect(text).toContain(countryName('KH', 'th'));
    // How long it has waited when the supervisors were alerted: 16 min 31 s since it became urgent.
    expect(text).toMatch(/\b17\b/);
    for (const value of personal) {
      expect(message!.raw).not.toContain(value);
      expect(text).not.toContain(value);
    }
    const sent = (await listAuditEvents(database.db, { reportId })).filter(
      (event) => event.action === 'urgent.supervisor_mail_sent',
    );
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ actor: 'mail-outbox', detail: { recipients: 2, attempts: 3 } });
  });

  it('sends none when the case was taken in time', async () => {
    const { reportId } = await intake.reports.submitReport(completeReport(), { actor: 'token:api' });
    await database.db
      .updateTable('urgent_clocks')
      .set({ hotline_acknowledged_at: new Date(at.getTime() + 5 * minute).toISOString() })
      .where('report_id', '=', reportId)
      .execute();
    at = new Date(at.getTime() + 20 * minute);
    await clockWorker().runOnce();
    expect(await mailRows()).toEqual([]);
  });
});

describe('REPORTLINE_SUPERVISOR_EMAILS', () => {
  it('names the supervisors, and needs SMTP_URL', () => {
    const config = loadConfig({
      REPORTLINE_SUPERVISOR_EMAILS: 'duty-supervisor@hotline.example, night-lead@hotline.example',
      SMTP_URL: 'smtp://127.0.0.1:2525',
    });
    expect(config.urgent.supervisorEmails).toEqual(supervisors);
    expect(loadConfig({}).urgent.supervisorEmails).toEqual([]);
    expect(() => loadConfig({ REPORTLINE_SUPERVISOR_EMAILS: 'duty-supervisor@hotline.example' })).toThrow(ConfigError);
    expect(() =>
      loadConfig({ REPORTLINE_SUPERVISOR_EMAILS: 'not an address', SMTP_URL: 'smtp://127.0.0.1:2525' }),
    ).toThrow(/REPORTLINE_SUPERVISOR_EMAILS/);
  });
});
