import nodemailer from 'nodemailer';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listCaseQueue } from '../../intake/cases/case-queue.js';
import { openConsoleHarness } from '../support/console-harness.js';
import { withdrawReport, type WithdrawalRequest } from '../../intake/cases/withdraw-report.js';
import { createAgencyDeliverySender, type DeliveryTargets } from '../../intake/delivery/agency-delivery-sender.js';
import { caseEventTypes } from '../../intake/delivery/case-event-types.js';
import { DeliveryDispatcher } from '../../intake/delivery/delivery-dispatcher.js';
import { createI18n, defaultLocalesDir, loadLocaleResources } from '../../intake/i18n/create-i18n.js';
import type { CaseRouter, DeliveryMethod } from '../../intake/routing/routing-plan.js';
import { RoutingStore } from '../../intake/routing/routing-store.js';
import { listAuditEvents } from '../../intake/store/audit-log.js';
import { IndicatorLinks } from '../../intake/store/indicator-links.js';
import { ReportStore } from '../../intake/store/report-store.js';
import { startSmtpReceiver, startWebhookReceiver } from '../support/case-receivers.js';
import { drain } from '../support/delivery-fixture.js';
import { fixedDecision } from '../support/fixed-decision.js';
import { testCipher } from '../support/fixtures.js';
import {
  createTestDatabase,
  testDatabaseKinds,
  warnIfPostgresSkipped,
  type TestDatabase,
} from '../support/test-databases.js';

warnIfPostgresSkipped();
const secret = 'whsec_2Yyc1qLGdq3hM9cBRHr3fYz3BQA4a2b22GaEHkqXfB0=';

/** Korea's police by webhook and e-mail, Cambodia's by webhook; Thailand's is never on these cases. */
const routeToKoreaAndCambodia: CaseRouter = (content) => {
  const withheld = !content.consent.shareWithLawEnforcement;
  const methods: Array<[string, DeliveryMethod]> = [
    ['kr-police', 'webhook'],
    ['kr-police', 'email'],
    ['kh-police', 'webhook'],
  ];
  return {
    decision: fixedDecision({ primary: 'kr-police', copies: ['kh-police'] }, { withheld }),
    withheld,
    agencies: [
      { agencyId: 'kr-police', role: 'primary' as const },
      { agencyId: 'kh-police', role: 'copy' as const },
    ],
    deliveries: methods.map(([agencyId, method]) => ({ agencyId, method })),
  };
};

const report = {
  consent: { shareWithLawEnforcement: true, contactBack: true },
  victim: { nationality: 'KR', currentCountry: 'KH', languagesSpoken: ['ko'] },
  incident: { category: 'fake_job_compound' as const, narrative: 'They keep me in a compound in Sihanoukville.' },
  suspects: { names: ['Mr. Park'], phones: ['+855 12 345 678'] },
};

describe.each(testDatabaseKinds)('a reporter withdrawing a report on %s', (kind) => {
  let database: TestDatabase;
  let reports: ReportStore;
  let routing: RoutingStore;
  let links: IndicatorLinks;
  let nudges: number;

  beforeEach(async () => {
    database = await createTestDatabase(kind);
    const cipher = testCipher();
    nudges = 0;
    reports = new ReportStore({ db: database.db, cipher, router: routeToKoreaAndCambodia });
    routing = new RoutingStore({ db: database.db, cipher });
    links = new IndicatorLinks({ db: database.db, cipher });
  });
  afterEach(async () => database.dispose());

  const withdraw = (reportId: string, extra: Partial<WithdrawalRequest> = {}) =>
    withdrawReport(
      { db: database.db, cipher: testCipher(), now: () => new Date(), afterWithdraw: () => (nudges += 1) },
      { reportId, actor: 'channel:telegram', channel: 'telegram', ...extra },
    );
  const withdrawnDeliveries = (reportId: string) =>
    database.db
      .selectFrom('deliveries')
      .innerJoin('delivery_events', 'delivery_events.delivery_id', 'deliveries.id')
      .select(['deliveries.agency_id', 'deliveries.method'])
      .where('deliveries.report_id', '=', reportId)
      .where('delivery_events.event_type', '=', caseEventTypes.withdrawn)
      .orderBy('deliveries.agency_id')
      .orderBy('deliveries.method')
      .execute();

  it('keeps the report, marks it withdrawn, and tells every agency by each of its means with case.withdrawn', async () => {
    const korea = await startWebhookReceiver(secret);
    const cambodia = await startWebhookReceiver(secret);
    const smtp = await startSmtpReceiver();
    const transport = nodemailer.createTransport(smtp.url);
    const i18n = createI18n(loadLocaleResources(defaultLocalesDir));
    const webhooks: Record<string, string> = { 'kr-police': korea.url, 'kh-police': cambodia.url };
    const targets: DeliveryTargets = {
      webhook: (agencyId) => (webhooks[agencyId] ? { url: webhooks[agencyId], secret } : undefined),
      email: (agencyId) => (agencyId === 'kr-police' ? { to: ['cyber-desk@police.example'] } : undefined),
      language: () => 'en',
    };
    const dispatcher = new DeliveryDispatcher({
      db: database.db,
      send: createAgencyDeliverySender({
        sources: { reports, links, routing },
        targets,
        i18n,
        mail: { transport, from: 'Reportline <cases@reportline.example>' },
      }),
      baseDelayMs: 10,
      maxDelayMs: 40,
    });
    try {
      const { reportId, reference } = await reports.submitReport(report, { actor: 'test' });
      await drain(dispatcher, database);
      expect([korea.accepted.length, cambodia.accepted.length, smtp.messages.length]).toEqual([1, 1, 1]);

      const idempotency = { scope: 'telegram:42', key: 'update-900' };
      expect(await withdraw(reportId, { idempotency })).toEqual({ withdrawn: true, alreadyWithdrawn: false });
      expect(nudges).toBe(1);
      expect(await withdrawnDeliveries(reportId)).toEqual([
        { agency_id: 'kh-police', method: 'webhook' },
        { agency_id: 'kr-police', method: 'email' },
        { agency_id: 'kr-police', method: 'webhook' },
      ]);
      await drain(dispatcher, database);

      // Kept with the hotline, everything the reporter said still there, and marked withdrawn.
      const stored = (await reports.getReportById(reportId))!;
      expect(stored.report.incident.narrative).toBe(report.incident.narrative);
      expect(stored.withdrawal).toMatchObject({ channel: 'telegram' });
      expect(stored.report.status).toBe('new');

      for (const receiver of [korea, cambodia]) {
        expect(receiver.refused).toEqual([]);
        expect(receiver.accepted).toHaveLength(2);
        const event = JSON.parse(receiver.accepted[1]!.body) as {
          type: string;
          data: { reference: string; withdrawnAt: string | null };
        };
        expect(event.type).toBe(caseEventTypes.withdrawn);
        expect(event.data).toMatchObject({ reference, withdrawnAt: stored.withdrawal!.at });
        expect(receiver.accepted[1]!.eventId).not.toBe(receiver.accepted[0]!.eventId);
      }
      const t = i18n.getFixedT('en', 'delivery');
      expect(smtp.messages).toHaveLength(2);
      const mail = smtp.messages[1]!.raw.replace(/=\r?\n/g, '');
      const subject = t('email.subjectWithdrawn', { reference, category: t('categories.fake_job_compound') });
      expect(mail).toContain(subject.slice(0, 40));
      expect(mail).not.toContain('Sihanoukville');

      // The same message again, and another request later: nothing is withdrawn or sent twice.
      expect(await withdraw(reportId, { idempotency })).toEqual({ withdrawn: true, alreadyWithdrawn: false });
      expect(await withdraw(reportId, { idempotency: { scope: 'telegram:42', key: 'update-901' } })).toEqual({
        withdrawn: false,
        alreadyWithdrawn: true,
      });
      expect(await withdrawnDeliveries(reportId)).toHaveLength(3);
      expect(nudges).toBe(1);
      const audit = await listAuditEvents(database.db, { reportId });
      expect(audit.filter((event) => event.action === 'report.withdrawn')).toHaveLength(1);
      expect(JSON.stringify(audit)).not.toContain('Sihanoukville');
    } finally {
      transport.close();
      await Promise.all([korea.close(), cambodia.close(), smtp.close()]);
    }
  });

  it('tells an agency whose delivery is still waiting too, after it, and none of a case shared with nobody', async () => {
    const waiting = await reports.submitReport(report, { actor: 'test' });
    await withdraw(waiting.reportId);
    const rows = await database.db
      .selectFrom('deliveries')
      .leftJoin('delivery_events', 'delivery_events.delivery_id', 'deliveries.id')
      .select(['deliveries.agency_id', 'deliveries.method', 'delivery_events.event_type'])
      .where('deliveries.report_id', '=', waiting.reportId)
      .orderBy('delivery_events.event_type')
      .orderBy('deliveries.agency_id')
      .orderBy('deliveries.method')
      .execute();
    expect(rows.map((row) => [row.agency_id, row.method, row.event_type])).toEqual(
      expect.arrayContaining([
        ['kh-police', 'webhook', null],
        ['kh-police', 'webhook', caseEventTypes.withdrawn],
        ['kr-police', 'email', caseEventTypes.withdrawn],
      ]),
    );
    expect(rows).toHaveLength(6);

    const unshared = await reports.submitReport(
      { ...report, consent: { shareWithLawEnforcement: false } },
      { actor: 'test' },
    );
    expect(await withdraw(unshared.reportId)).toEqual({ withdrawn: true, alreadyWithdrawn: false });
    expect(await withdrawnDeliveries(unshared.reportId)).toEqual([]);
    await expect(withdraw('no-such-report')).rejects.toMatchObject({ code: 'case.not_found' });
  });

  it('lets the queue show the withdrawn cases apart, still in the queue', async () => {
    const standing = await reports.submitReport(report, { actor: 'test' });
    const withdrawn = await reports.submitReport(report, { actor: 'test' });
    await withdraw(withdrawn.reportId);
    const page = (filters: Parameters<typeof listCaseQueue>[1]) =>
      listCaseQueue(database.db, filters, { limit: 10 }).then(({ entries }) =>
        entries.map((entry) => [entry.reference, entry.withdrawnAt !== null]),
      );
    expect(await page({})).toEqual([
      [standing.reference, false],
      [withdrawn.reference, true],
    ]);
    expect(await page({ withdrawn: 'only' })).toEqual([[withdrawn.reference, true]]);
    expect(await page({ withdrawn: 'hide' })).toEqual([[standing.reference, false]]);
  });
});

describe('a withdrawn case in the staff console', () => {
  /** The queue row of one reference: from its <tr data-reference> to the next row. */
  const rowOf = (html: string, reference: string) =>
    html.split('<tr').find((row) => row.includes(`data-reference="${reference}"`)) ?? '';

  it('is marked on its page and in the queue, and the queue shows only those or leaves them out', async () => {
    const harness = await openConsoleHarness();
    try {
      const standing = await harness.submit({ consent: { shareWithLawEnforcement: true } });
      const withdrawn = await harness.submit({ consent: { shareWithLawEnforcement: true } });
      expect(
        await harness.services.withdrawals.withdraw({
          reportId: withdrawn.reportId,
          actor: 'reporter:web',
          channel: 'web',
        }),
      ).toEqual({ withdrawn: true, alreadyWithdrawn: false });

      const staff = await harness.signedIn('hotline');
      const queue = await staff.open('/staff');
      expect(rowOf(queue.html, withdrawn.reference)).toContain('data-message="queue.withdrawnByReporter"');
      expect(rowOf(queue.html, standing.reference)).not.toContain('queue.withdrawnByReporter');
      const only = await staff.open('/staff?withdrawn=only');
      expect(rowOf(only.html, withdrawn.reference)).not.toBe('');
      expect(rowOf(only.html, standing.reference)).toBe('');
      const hidden = await staff.open('/staff?withdrawn=hide');
      expect(rowOf(hidden.html, withdrawn.reference)).toBe('');
      expect(rowOf(hidden.html, standing.reference)).not.toBe('');

      const page = await staff.open(`/staff/cases/${withdrawn.reference}`);
      expect(page.html).toContain('data-message="case.withdrawnByReporter"');
      const other = await staff.open(`/staff/cases/${standing.reference}`);
      expect(other.html).not.toContain('case.withdrawnByReporter');
    } finally {
      await harness.close();
    }
  });
});
