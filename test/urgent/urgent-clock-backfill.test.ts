import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assembleIntake, type Intake } from '../../app/assemble-intake.js';
import { casePartsOf } from '../../app/create-portal.js';
import type { Services } from '../../app/open-services.js';
import { changeCaseStatus } from '../../intake/cases/change-case-status.js';
import { systemClock } from '../../intake/clock.js';
import { createCaseRouter } from '../../intake/routing/case-router.js';
import { openDatabase } from '../../intake/store/open-database.js';
import { backfillUrgentClocks } from '../../intake/urgent/backfill-urgent-clocks.js';
import { createUrgentCases } from '../../intake/urgent/urgent-cases.js';
import { startFakeLineApi } from '../support/fake-line-api.js';
import { completeReport } from '../support/fixtures.js';
import { channelSecret } from '../support/line-harness.js';
import {
  createTestDatabase,
  testDatabaseKinds,
  warnIfPostgresSkipped,
  type TestDatabase,
} from '../support/test-databases.js';
import { openTestServices, recordingLogger } from '../support/test-services.js';

warnIfPostgresSkipped();

const accessToken = 'line-channel-access-token-for-tests';
const staffGroup = `C${'fedcba9876543210'.repeat(2)}`;
const hotline = { auditId: 'user:duty-1', role: 'hotline' as const, userId: 'duty-1' };
const supervisor = { auditId: 'user:supervisor-1', role: 'supervisor' as const, userId: 'supervisor-1' };

/** An intake as a version before the clocks stored reports: without the urgent clock. */
function intakeWithoutClocks(services: Services): Intake {
  return assembleIntake({ db: services.db, cipher: services.cipher, router: createCaseRouter(services.directory) });
}

function notUrgent() {
  const report = completeReport();
  report.safety = { ...report.safety, heldAgainstWill: false, inImmediateDanger: false };
  return report;
}

describe.each(testDatabaseKinds)('urgent cases stored before the clocks (%s)', (kind) => {
  let database: TestDatabase;
  let api: Awaited<ReturnType<typeof startFakeLineApi>>;
  const environment = () => ({
    // One data key across the "versions" and restarts of one deployment.
    REPORTLINE_DATA_KEY: dataKey,
    LINE_CHANNEL_ACCESS_TOKEN: accessToken,
    LINE_CHANNEL_SECRET: channelSecret,
    LINE_API_BASE_URL: api.baseUrl,
    LINE_DATA_API_BASE_URL: api.baseUrl,
    REPORTLINE_DUTY_LINE_GROUP_ID: staffGroup,
  });
  const dataKey = randomBytes(32).toString('hex');
  const ids = new Map<string, { reportId: string; reference: string }>();
  const toGroup = () => api.delivered.filter((message) => message.to === staffGroup);

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    api = await startFakeLineApi(accessToken);
    // The version before: urgent reports stored, and worked on, without clocks.
    const before = await openTestServices(database, {
      environment: { REPORTLINE_DATA_KEY: dataKey },
      logger: recordingLogger(),
    });
    const old = intakeWithoutClocks(before);
    const store = async (name: string, report = completeReport()) =>
      ids.set(name, await old.reports.submitReport(report, { actor: 'token:api' }));
    for (const name of ['waiting-1', 'waiting-2', 'taken', 'closed', 'withdrawn']) await store(name);
    await store('not-urgent', notUrgent());
    const worker = await before.accounts.createUser({
      username: 'duty-before',
      password: 'a long enough password',
      role: 'hotline',
    });
    await before.db
      .updateTable('reports')
      .set({ assigned_to: worker.id })
      .where('id', '=', ids.get('taken')!.reportId)
      .execute();
    await changeCaseStatus(
      { db: before.db, cipher: before.cipher, now: systemClock },
      hotline,
      ids.get('closed')!.reference,
      {
        status: 'closed',
      },
    );
    await old.withdrawals.withdraw({
      reportId: ids.get('withdrawn')!.reportId,
      actor: 'channel:telegram',
      channel: 'telegram',
    });
    expect(await before.db.selectFrom('urgent_clocks').select('report_id').execute()).toEqual([]);
    await before.close();
  });
  afterAll(async () => {
    await api?.close();
    await database?.dispose();
  });

  it('gives a clock to the open urgent cases nobody has taken, at start-up, with ONE summary alert; a restart adds nothing', async () => {
    const services = await openTestServices(database, { environment: environment(), logger: recordingLogger() });
    try {
      const clocks = await services.db.selectFrom('urgent_clocks').selectAll().orderBy('report_id').execute();
      expect(clocks.map((clock) => clock.report_id)).toEqual(
        ['waiting-1', 'waiting-2'].map((name) => ids.get(name)!.reportId).sort(),
      );
      for (const clock of clocks) {
        // Started at the upgrade, not when the case was stored; due and alerted at once, with no agency window.
        expect(clock.hotline_ack_due_at).toBe(clock.urgent_since);
        expect(clock.supervisor_alerted_at).toBe(clock.urgent_since);
        expect(clock.duty_alerted_at).toBe(clock.urgent_since);
        expect(clock).toMatchObject({ agency_id: null, agency_accept_due_at: null, next_check_at: null });
      }
      const summary = await services.db
        .selectFrom('audit_events')
        .select(['actor', 'detail', 'report_id'])
        .where('action', '=', 'urgent.backfill_alerted')
        .execute();
      expect(summary).toHaveLength(1);
      expect(summary[0]!.report_id).toBeNull();
      expect(JSON.parse(summary[0]!.detail)).toEqual({ cases: 2, staffGroupMessages: 1 });
      const started = await services.db
        .selectFrom('audit_events')
        .select(['report_id', 'detail'])
        .where('action', '=', 'urgent.clock_started')
        .execute();
      expect(started).toHaveLength(2);
      expect(started.every((event) => (JSON.parse(event.detail) as { reason?: string }).reason === 'backfill')).toBe(
        true,
      );

      // One message to the staff group, the count only.
      services.chatWorker.start(60_000);
      await api.until(() => toGroup().length > 0);
      await services.chatWorker.stop();
      expect(toGroup()).toHaveLength(1);
      const t = services.i18n.getFixedT('en', 'staff');
      expect((toGroup()[0]!.message as { text: string }).text).toBe(t('urgent.group.backfilled', { count: 2 }));

      // On the duty desk as waiting and not taken in time; the worker alerts nobody again for them.
      const desk = createUrgentCases({ db: services.db, cipher: services.cipher, now: systemClock });
      expect(await desk.dutyDesk(hotline)).toEqual({ waiting: 2, overdue: 2, escalated: 0 });
      await services.urgentClocks.runOnce();
      const alerted = await services.db
        .selectFrom('audit_events')
        .select('action')
        .where('action', 'in', ['urgent.supervisor_alerted', 'urgent.duty_alerted'])
        .execute();
      expect(alerted).toEqual([]);
      expect(await desk.acknowledge(hotline, ids.get('waiting-1')!.reference)).toBe('acknowledged');
      expect(await desk.dutyDesk(hotline)).toMatchObject({ waiting: 1 });
    } finally {
      await services.close();
    }

    const restarted = await openTestServices(database, { environment: environment(), logger: recordingLogger() });
    try {
      expect(await restarted.db.selectFrom('urgent_clocks').select('report_id').execute()).toHaveLength(2);
      expect(
        await restarted.db
          .selectFrom('audit_events')
          .select('seq')
          .where('action', '=', 'urgent.backfill_alerted')
          .execute(),
      ).toHaveLength(1);
      expect(
        await restarted.db
          .selectFrom('chat_outbox')
          .select('id')
          .where('conversation_id', 'like', 'staff-group-%')
          .execute(),
      ).toHaveLength(1);
    } finally {
      await restarted.close();
    }
  });

  it('a case taken or closed before the clocks gets its clock when it is let go or reopened in the console', async () => {
    const services = await openTestServices(database, { environment: environment(), logger: recordingLogger() });
    try {
      const { useCases } = casePartsOf(services);
      await useCases.assign(supervisor, ids.get('taken')!.reference, null);
      await useCases.changeStatus(supervisor, ids.get('closed')!.reference, { status: 'triaging' });
      const started = await services.db
        .selectFrom('audit_events')
        .select(['report_id', 'detail'])
        .where('action', '=', 'urgent.clock_started')
        .where('report_id', 'in', [ids.get('taken')!.reportId, ids.get('closed')!.reportId])
        .execute();
      expect(
        started.map((event) => [event.report_id, (JSON.parse(event.detail) as { reason: string }).reason]).sort(),
      ).toEqual(
        [
          [ids.get('taken')!.reportId, 'let_go'],
          [ids.get('closed')!.reportId, 'reopened'],
        ].sort(),
      );
      const clocks = await services.db
        .selectFrom('urgent_clocks')
        .selectAll()
        .where('report_id', 'in', [ids.get('taken')!.reportId, ids.get('closed')!.reportId])
        .execute();
      // Ordinary clocks from now, on the deployment's window (REPORTLINE_URGENT_ACK_MINUTES, 15 by default).
      for (const clock of clocks) {
        expect(Date.parse(clock.hotline_ack_due_at) - Date.parse(clock.urgent_since)).toBe(15 * 60_000);
        expect(clock.supervisor_alerted_at).toBeNull();
      }
    } finally {
      await services.close();
    }
  });

  it('two instances starting at once start each clock once and send one summary', async () => {
    const services = await openTestServices(database, {
      environment: { REPORTLINE_DATA_KEY: dataKey },
      logger: recordingLogger(),
    });
    const old = intakeWithoutClocks(services);
    const waiting = [];
    for (let index = 0; index < 5; index += 1)
      waiting.push((await old.reports.submitReport(completeReport(), { actor: 'token:api' })).reportId);
    await services.close();
    const [one, two] = [openDatabase(database.location), openDatabase(database.location)];
    try {
      const results = await Promise.all([one, two].map((db) => backfillUrgentClocks({ db, now: systemClock })));
      expect(results.map((result) => result.cases).reduce((sum, cases) => sum + cases, 0)).toBe(5);
      const summaries = await one
        .selectFrom('audit_events')
        .select('detail')
        .where('action', '=', 'urgent.backfill_alerted')
        .execute();
      // The first test's summary, and one more for these five.
      expect(summaries.map((row) => (JSON.parse(row.detail) as { cases: number }).cases)).toEqual([2, 5]);
      expect(
        await one.selectFrom('urgent_clocks').select('report_id').where('report_id', 'in', waiting).execute(),
      ).toHaveLength(5);
    } finally {
      await Promise.all([one.destroy(), two.destroy()]);
    }
  });
});
