import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AccountStore } from '../../intake/accounts/account-store.js';
import { assignCase } from '../../intake/cases/assign-case.js';
import type { CaseDependencies } from '../../intake/cases/case-transaction.js';
import { changeCaseStatus } from '../../intake/cases/change-case-status.js';
import { acknowledgeUrgentCase } from '../../intake/urgent/acknowledge-urgent-case.js';
import { createUrgentCases } from '../../intake/urgent/urgent-cases.js';
import { completeReport } from '../support/fixtures.js';
import { testDatabaseKinds, warnIfPostgresSkipped } from '../support/test-databases.js';
import { clockTestPolicy, useClockTestBed, type openClockProcess } from './urgent-clock-harness.js';

warnIfPostgresSkipped();

const minute = 60_000;
const hotline = { auditId: 'user:duty-1', role: 'hotline' as const, userId: 'duty-1' };
const supervisor = { auditId: 'user:supervisor-1', role: 'supervisor' as const, userId: 'supervisor-1' };

describe.each(testDatabaseKinds)('an urgent clock started again (%s)', (kind) => {
  const bed = useClockTestBed(kind);
  const { cipher, now, start, at } = bed;
  let running: ReturnType<typeof openClockProcess>;
  /** The case actions as the console runs them: with the deployment's clock. */
  let cases: CaseDependencies;

  beforeEach(() => {
    running = bed.openProcess();
    cases = { db: running.db, cipher, now, urgentClock: clockTestPolicy };
  });
  afterEach(async () => {
    await running?.close();
  });
  const iso = (minutes: number) => new Date(start + minutes * minute).toISOString();
  const clockOf = (reportId: string) =>
    running.db.selectFrom('urgent_clocks').selectAll().where('report_id', '=', reportId).executeTakeFirstOrThrow();
  const desk = () => createUrgentCases({ db: running.db, cipher, now }).dutyDesk(hotline);
  const events = async (reportId: string, action: string): Promise<Array<Record<string, unknown>>> =>
    (
      await running.db
        .selectFrom('audit_events')
        .select(['actor', 'detail'])
        .where('report_id', '=', reportId)
        .where('action', '=', action)
        .orderBy('seq')
        .execute()
    ).map((row) => ({ actor: row.actor, ...(JSON.parse(row.detail) as Record<string, unknown>) }));
  const statusOf = async (reportId: string) =>
    running.db
      .selectFrom('reports')
      .select(['status', 'in_queue'])
      .where('id', '=', reportId)
      .executeTakeFirstOrThrow();

  it('a case taken, closed and reopened needs someone again: a new round, the supervisor alerted if nobody takes it', async () => {
    const { reportId, reference } = await running.intake.reports.submitReport(completeReport(), { actor: 'token:api' });
    await running.worker.runOnce();
    at(2);
    expect(await acknowledgeUrgentCase(cases, hotline, reference)).toBe('acknowledged');
    at(5);
    await changeCaseStatus(cases, hotline, reference, { status: 'closed' });
    // The worker looks at the clock at its next deadline (the agency's window) and stops it: the case is closed.
    at(31);
    await running.worker.runOnce();
    expect(await events(reportId, 'urgent.clock_stopped')).toMatchObject([{ reason: 'closed' }]);
    expect(await desk()).toMatchObject({ waiting: 0 });

    at(60);
    await changeCaseStatus(cases, supervisor, reference, { status: 'triaging' });
    expect(await clockOf(reportId)).toMatchObject({
      urgent_since: iso(60),
      hotline_ack_due_at: iso(75),
      hotline_acknowledged_at: null,
      hotline_acknowledged_by: null,
      supervisor_alerted_at: null,
      duty_alerted_at: null,
      // The routed agency never accepted; closing the case stopped its window, reopening gives it another.
      agency_id: 'kh-cnp',
      agency_accept_due_at: iso(90),
    });
    expect(await events(reportId, 'urgent.clock_restarted')).toMatchObject([
      { actor: supervisor.auditId, reason: 'reopened', newRound: true, hotlineAckDueAt: iso(75) },
    ]);
    expect(await desk()).toMatchObject({ waiting: 1, overdue: 0 });

    at(61);
    await running.worker.runOnce();
    expect(await events(reportId, 'urgent.duty_alerted')).toHaveLength(2);
    at(74);
    await running.worker.runOnce();
    expect(await events(reportId, 'urgent.supervisor_alerted')).toEqual([]);
    at(76);
    await running.worker.runOnce();
    expect(await events(reportId, 'urgent.supervisor_alerted')).toHaveLength(1);
    expect(await desk()).toMatchObject({ waiting: 1, overdue: 1 });
    // Taken in the new round, its wait is counted from the reopening.
    at(80);
    expect(await acknowledgeUrgentCase(cases, hotline, reference)).toBe('acknowledged');
    expect((await events(reportId, 'urgent.acknowledged')).map((event) => event.waitedSeconds)).toEqual([120, 1200]);
  });

  it('a case closed and reopened before its window ended keeps its deadline: reopening never makes it later', async () => {
    const { reportId, reference } = await running.intake.reports.submitReport(completeReport(), { actor: 'token:api' });
    await running.worker.runOnce();
    at(3);
    await changeCaseStatus(cases, hotline, reference, { status: 'closed' });
    at(5);
    await changeCaseStatus(cases, hotline, reference, { status: 'new' });
    expect(await clockOf(reportId)).toMatchObject({ urgent_since: iso(0), hotline_ack_due_at: iso(15) });
    expect(await events(reportId, 'urgent.clock_restarted')).toEqual([]);
    at(16);
    await running.worker.runOnce();
    expect(await events(reportId, 'urgent.supervisor_alerted')).toHaveLength(1);
  });

  it('a case let go (given to nobody) is nobody’s: the hotline’s clock starts again; given to another it stays taken', async () => {
    const accounts = new AccountStore({ db: running.db, cipher, now });
    const one = await accounts.createUser({
      username: 'duty-one',
      password: 'a long enough password',
      role: 'hotline',
    });
    const two = await accounts.createUser({
      username: 'duty-two',
      password: 'a long enough password',
      role: 'hotline',
    });
    const { reportId, reference } = await running.intake.reports.submitReport(completeReport(), { actor: 'token:api' });
    await running.worker.runOnce();
    at(3);
    await assignCase(cases, supervisor, reference, one.id);
    at(8);
    await assignCase(cases, supervisor, reference, two.id);
    expect(await clockOf(reportId)).toMatchObject({ hotline_acknowledged_by: `user:${one.id}`, urgent_since: iso(0) });
    expect(await events(reportId, 'urgent.clock_restarted')).toEqual([]);

    at(20);
    await assignCase(cases, supervisor, reference, null);
    expect(await clockOf(reportId)).toMatchObject({
      urgent_since: iso(20),
      hotline_ack_due_at: iso(35),
      hotline_acknowledged_at: null,
      // Let go is for the duty desk, not a new alarm for the staff group.
      duty_alerted_at: iso(0),
    });
    expect(await events(reportId, 'urgent.clock_restarted')).toMatchObject([{ reason: 'let_go' }]);
    expect(await desk()).toMatchObject({ waiting: 1 });
    at(36);
    await running.worker.runOnce();
    expect(await events(reportId, 'urgent.supervisor_alerted')).toHaveLength(1);
    // Unassigning a case nobody had changes nothing more.
    at(40);
    await assignCase(cases, supervisor, reference, null);
    expect(await events(reportId, 'urgent.clock_restarted')).toHaveLength(1);
  });

  it('a person released and then held again is a new alarm, once; a case still urgent that is amended is not', async () => {
    const { reportId, reference } = await running.intake.reports.submitReport(completeReport(), { actor: 'token:api' });
    await running.worker.runOnce();
    at(1);
    expect(await acknowledgeUrgentCase(cases, hotline, reference)).toBe('acknowledged');
    at(2);
    await running.intake.amendments.amend({
      reportId,
      changes: { victim: { currentPlace: 'Building C' } },
      actor: 'channel:telegram',
      channel: 'telegram',
    });
    expect(await events(reportId, 'urgent.clock_restarted')).toEqual([]);
    at(5);
    await running.intake.amendments.amend({
      reportId,
      changes: { safety: { heldAgainstWill: false, inImmediateDanger: false } },
      actor: 'channel:telegram',
      channel: 'telegram',
    });
    at(31);
    await running.worker.runOnce();
    expect(await events(reportId, 'urgent.clock_stopped')).toMatchObject([{ reason: 'no_longer_urgent' }]);

    at(40);
    await running.intake.amendments.amend({
      reportId,
      changes: { safety: { heldAgainstWill: true } },
      actor: 'channel:telegram',
      channel: 'telegram',
    });
    expect(await clockOf(reportId)).toMatchObject({
      urgent_since: iso(40),
      hotline_ack_due_at: iso(55),
      hotline_acknowledged_at: null,
    });
    expect(await events(reportId, 'urgent.clock_restarted')).toMatchObject([
      { actor: 'channel:telegram', reason: 'danger_again', newRound: true },
    ]);
    // The case keeps its one clock, and the duty desk shows it waiting.
    expect(await running.db.selectFrom('urgent_clocks').select('report_id').execute()).toHaveLength(1);
    expect(await desk()).toMatchObject({ waiting: 1 });
    at(56);
    await running.worker.runOnce();
    expect(await events(reportId, 'urgent.supervisor_alerted')).toHaveLength(1);
  });

  it('a closed case whose reporter says they are in danger now comes back into the queue where it was, with its clock', async () => {
    const report = completeReport();
    report.safety = { ...report.safety, heldAgainstWill: true, inImmediateDanger: false };
    const { reportId, reference } = await running.intake.reports.submitReport(report, { actor: 'token:api' });
    await running.worker.runOnce();
    at(1);
    await changeCaseStatus(cases, hotline, reference, { status: 'referred' });
    await acknowledgeUrgentCase(cases, hotline, reference);
    at(10);
    await changeCaseStatus(cases, hotline, reference, { status: 'closed' });
    at(31);
    await running.worker.runOnce();

    at(120);
    await running.intake.amendments.amend({
      reportId,
      changes: { safety: { inImmediateDanger: true } },
      actor: 'channel:telegram',
      channel: 'telegram',
    });
    expect(await statusOf(reportId)).toEqual({ status: 'referred', in_queue: 1 });
    const moves = await events(reportId, 'case.status_changed');
    expect(moves[moves.length - 1]).toEqual({
      actor: 'channel:telegram',
      from: 'closed',
      to: 'referred',
      reason: 'danger_again',
    });
    expect(await clockOf(reportId)).toMatchObject({ urgent_since: iso(120), hotline_acknowledged_at: null });
    expect(await desk()).toMatchObject({ waiting: 1 });
  });

  it('a withdrawn case stays as its reporter left it', async () => {
    const report = completeReport();
    report.safety = { ...report.safety, heldAgainstWill: true, inImmediateDanger: false };
    const { reportId, reference } = await running.intake.reports.submitReport(report, { actor: 'token:api' });
    await running.worker.runOnce();
    at(1);
    await running.intake.withdrawals.withdraw({ reportId, actor: 'channel:telegram', channel: 'telegram' });
    await changeCaseStatus(cases, hotline, reference, { status: 'closed' });
    at(2);
    await running.worker.runOnce();
    at(3);
    await running.intake.amendments.amend({
      reportId,
      changes: { safety: { inImmediateDanger: true } },
      actor: 'channel:telegram',
      channel: 'telegram',
    });
    expect(await statusOf(reportId)).toEqual({ status: 'closed', in_queue: 0 });
    await changeCaseStatus(cases, hotline, reference, { status: 'triaging' });
    expect(await events(reportId, 'urgent.clock_restarted')).toEqual([]);
    expect(await desk()).toMatchObject({ waiting: 0 });
  });
});
