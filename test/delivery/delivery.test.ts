import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { retryDelivery } from '../../intake/cases/retry-delivery.js';
import { systemClock } from '../../intake/clock.js';
import { listAuditEvents } from '../../intake/store/audit-log.js';
import { startSmtpReceiver, startWebhookReceiver } from '../support/case-receivers.js';
import { deliveryFixture, drain } from '../support/delivery-fixture.js';
import { completeReport, minimalReport } from '../support/fixtures.js';
import {
  createTestDatabase,
  testDatabaseKinds,
  warnIfPostgresSkipped,
  type TestDatabase,
} from '../support/test-databases.js';
import { testI18n } from '../support/test-portal.js';

warnIfPostgresSkipped();
const secret = 'whsec_s13QxtOKSQUx1z48xvx4iXMcsIHaTCmKkz9B7lVFqTU=';

interface CaseEventBody {
  type: string;
  timestamp: string;
  data: { reference: string; role: string; urgent: boolean; report: { victim: { nameOrAlias: string } } };
}

describe.each(testDatabaseKinds)('delivering cases to agencies on %s', (kind) => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await createTestDatabase(kind);
  });
  afterEach(async () => database.dispose());

  it('plans deliveries in the same transaction as the report and delivers each exactly once, after retries', async () => {
    const webhook = await startWebhookReceiver(secret, { failFirst: 2 });
    const smtp = await startSmtpReceiver();
    const fixture = deliveryFixture(database, { webhookUrl: webhook.url, secret, smtpUrl: smtp.url });
    try {
      const submitted = await Promise.all(
        Array.from({ length: 5 }, () => fixture.reports.submitReport(completeReport(), { actor: 'test' })),
      );
      expect(
        (await fixture.routing.listDeliveries(submitted[0]!.reportId)).map((d) => [d.agencyId, d.method, d.status]),
      ).toEqual([
        ['kh-police', 'webhook', 'pending'],
        ['kr-police', 'email', 'pending'],
      ]);

      await drain(fixture.dispatcher, database);

      // Webhook: every case exactly once, after two refused tries each, each try verified as a Standard Webhook.
      expect(webhook.refused).toEqual([]);
      expect(webhook.accepted).toHaveLength(5);
      expect(new Set(webhook.accepted.map((hit) => hit.eventId)).size).toBe(5);
      expect([...webhook.triesByEvent.values()]).toEqual([3, 3, 3, 3, 3]);
      // webhook-id is the delivery's id, the same on all three tries.
      const webhookIds = await Promise.all(
        submitted.map(async (s) => (await fixture.routing.listDeliveries(s.reportId))[0]!.id),
      );
      expect(webhook.accepted.map((hit) => hit.eventId).sort()).toEqual(webhookIds.sort());
      const received = webhook.accepted.map((hit) => JSON.parse(hit.body) as CaseEventBody);
      expect(received.map((body) => body.data.reference).sort()).toEqual(submitted.map((s) => s.reference).sort());
      expect(Object.keys(received[0]!)).toEqual(['type', 'timestamp', 'data']);
      expect(received[0]!.type).toBe('case.urgent');
      expect(received[0]!.timestamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      expect(received[0]!.data.role).toBe('primary');
      expect(received[0]!.data.report.victim.nameOrAlias).toBe('김준호');

      // E-mail: every case exactly once, marked urgent, with no personal data, and a link to the inbox.
      const t = testI18n.getFixedT('en', 'delivery');
      const urgentLine = t('email.urgency', { urgency: t('email.urgent') });
      expect(smtp.messages).toHaveLength(5);
      for (const message of smtp.messages) {
        expect(message.to).toEqual(['cyber-desk@police.example']);
        // The body is quoted-printable: its soft line breaks ("=" at a line's end) are not part of the text.
        expect(message.raw.replace(/=\r?\n/g, '')).toContain(urgentLine);
        expect(message.raw).toContain('https://report.example.org/agency/cases/RL-');
        for (const personal of ['김준호', '김민지', 'minji.kim', '+82', 'TThj8QM1oAy46uZhb3wguApBpMZooSDtKk', '여권']) {
          expect(message.raw).not.toContain(personal);
        }
      }

      const states = await fixture.routing.listDeliveries(submitted[0]!.reportId);
      expect(states.map((state) => [state.status, state.attempts])).toEqual([
        ['delivered', 3],
        ['delivered', 1],
      ]);
    } finally {
      fixture.close();
      await webhook.close();
      await smtp.close();
    }
  });

  it('delivers nothing for a report without consent to share', async () => {
    const webhook = await startWebhookReceiver(secret);
    const fixture = deliveryFixture(database, { webhookUrl: webhook.url, secret });
    try {
      const { reportId } = await fixture.reports.submitReport(minimalReport(), { actor: 'test' });
      expect((await fixture.routing.getRouting(reportId))?.withheld).toBe(true);
      expect(await fixture.routing.listDeliveries(reportId)).toEqual([]);
      await drain(fixture.dispatcher, database);
      expect(webhook.accepted).toEqual([]);
    } finally {
      await webhook.close();
    }
  });

  it('marks a delivery failed after the last try, shows why, and lets staff retry it', async () => {
    const webhook = await startWebhookReceiver(secret, { alwaysFail: true });
    const fixture = deliveryFixture(database, { webhookUrl: webhook.url, secret, maxAttempts: 3 });
    try {
      const { reportId } = await fixture.reports.submitReport(completeReport(), { actor: 'test' });
      await drain(fixture.dispatcher, database);
      const [webhookDelivery, emailDelivery] = await fixture.routing.listDeliveries(reportId);
      expect(webhookDelivery).toMatchObject({ status: 'failed', attempts: 3, lastError: 'webhook answered HTTP 503' });
      // No SMTP configured: failed at once with the reason, not retried in a loop.
      expect(emailDelivery).toMatchObject({
        status: 'failed',
        attempts: 1,
        lastError: 'SMTP is not configured (SMTP_URL)',
      });
      const actions = (await listAuditEvents(database.db, { reportId })).map((event) => event.action);
      expect(actions.filter((action) => action === 'delivery.failed')).toHaveLength(2);

      // Staff retry it as the console does, through the use case.
      const retry = () =>
        retryDelivery(
          { db: database.db, cipher: fixture.cipher, now: systemClock },
          () => fixture.dispatcher.nudge(),
          { auditId: 'user:staff-1', role: 'hotline' },
          webhookDelivery!.id,
        );
      expect(await retry()).toBe(true);
      expect(await retry()).toBe(false);
      expect((await fixture.routing.listDeliveries(reportId))[0]).toMatchObject({ status: 'pending', attempts: 0 });
    } finally {
      await webhook.close();
    }
  });

  it('sends urgent cases first, as case.urgent; the others as case.routed', async () => {
    const webhook = await startWebhookReceiver(secret);
    const fixture = deliveryFixture(database, { webhookUrl: webhook.url, secret, concurrency: 1 });
    try {
      const calm = await fixture.reports.submitReport({ ...completeReport(), safety: {} }, { actor: 'test' });
      const urgent = await fixture.reports.submitReport(completeReport(), { actor: 'test' });
      await drain(fixture.dispatcher, database);
      const events = webhook.accepted.map((hit) => JSON.parse(hit.body) as CaseEventBody);
      expect(events.map((event) => [event.data.reference, event.type, event.data.urgent])).toEqual([
        [urgent.reference, 'case.urgent', true],
        [calm.reference, 'case.routed', false],
      ]);
    } finally {
      await webhook.close();
    }
  });
});

describe('retry timing', () => {
  it('backs off exponentially with jitter, within a cap', async () => {
    const database = await createTestDatabase('sqlite');
    try {
      let random = 0;
      const { dispatcher } = deliveryFixture(database, {
        webhookUrl: 'http://127.0.0.1:9/',
        secret,
        baseDelayMs: 1_000,
        maxDelayMs: 60_000,
        random: () => random,
      });
      expect([1, 2, 3, 4].map((attempt) => dispatcher.retryDelayMs(attempt))).toEqual([500, 1_000, 2_000, 4_000]);
      random = 0.999999;
      expect(dispatcher.retryDelayMs(1)).toBe(1_000);
      expect(dispatcher.retryDelayMs(20)).toBe(60_000);
    } finally {
      await database.dispose();
    }
  });
});
