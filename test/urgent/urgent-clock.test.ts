import { describe, expect, it } from 'vitest';
import { assignCase } from '../../intake/cases/assign-case.js';
import { acknowledgeUrgentCase } from '../../intake/urgent/acknowledge-urgent-case.js';
import { createUrgentCases } from '../../intake/urgent/urgent-cases.js';
import { AccountStore } from '../../intake/accounts/account-store.js';
import { completeReport } from '../support/fixtures.js';
import { testDatabaseKinds, warnIfPostgresSkipped, type TestDatabase } from '../support/test-databases.js';
import { useClockTestBed } from './urgent-clock-harness.js';

warnIfPostgresSkipped();

const minute = 60_000;
const hotline = { auditId: 'user:duty-1', role: 'hotline' as const, userId: 'duty-1' };

/** The webhook events an agency's receiver accepted, by type. */
function eventTypes(receiver: { accepted: Array<{ body: string }> }): string[] {
  return receiver.accepted.map((event) => (JSON.parse(event.body) as { type: string }).type);
}

async function auditActions(database: { db: TestDatabase['db'] }, reportId: string): Promise<string[]> {
  const rows = await database.db
    .selectFrom('audit_events')
    .select('action')
    .where('report_id', '=', reportId)
    .orderBy('seq')
    .execute();
  return rows.map((row) => row.action);
}

describe.each(testDatabaseKinds)('urgent clocks (%s)', (kind) => {
  const bed = useClockTestBed(kind);
  const { cipher, now, start, at } = bed;
  const processOver = () => bed.openProcess();

  it('alerts at once, alerts a supervisor when nobody takes the case, then offers it to the next agency, across a restart', async () => {
    let running = processOver();
    const { reportId } = await running.intake.reports.submitReport(completeReport(), { actor: 'token:api' });
    const desk = createUrgentCases({ db: running.db, cipher, now });
    expect(await desk.dutyDesk(hotline)).toMatchObject({ waiting: 1, overdue: 0, escalated: 0 });
    await running.worker.runOnce();
    await running.drain();
    // The routed agency hears at once: one signed case.urgent, and an e-mail without personal data.
    expect(eventTypes(bed.kh)).toEqual(['case.urgent']);
    expect(bed.smtp.messages).toHaveLength(1);
    const mail = bed.smtp.messages[0]!.raw;
    for (const personal of ['김민지', 'minji.kim@example.kr', '2345-6789', '김준호', '+855 12 345 678'])
      expect(mail).not.toContain(personal);

    at(14);
    await running.worker.runOnce();
    expect(await auditActions(running, reportId)).not.toContain('urgent.supervisor_alerted');
    at(16);
    await running.worker.runOnce();
    expect(await auditActions(running, reportId)).toContain('urgent.supervisor_alerted');
    expect(await createUrgentCases({ db: running.db, cipher, now }).dutyDesk(hotline)).toMatchObject({
      waiting: 1,
      overdue: 1,
    });

    // A restart: the database and the worker are closed and opened again; the clock is where it was.
    await running.close();
    running = processOver();
    at(29);
    await running.worker.runOnce();
    await running.drain();
    expect(eventTypes(bed.aseanapol)).toEqual([]);
    at(31);
    await running.worker.runOnce();
    await running.drain();
    const agencies = await running.db
      .selectFrom('report_agencies')
      .select(['agency_id', 'role'])
      .where('report_id', '=', reportId)
      .execute();
    expect(agencies).toContainEqual({ agency_id: 'aseanapol', role: 'copy' });
    expect(eventTypes(bed.aseanapol)).toEqual(['case.urgent']);
    const clock = await running.db
      .selectFrom('urgent_clocks')
      .selectAll()
      .where('report_id', '=', reportId)
      .executeTakeFirstOrThrow();
    expect(clock).toMatchObject({ agency_id: 'aseanapol', escalated_to: 'aseanapol', agency_accepted_at: null });
    expect(Date.parse(clock.agency_accept_due_at!)).toBe(start + 61 * minute);

    // Nothing is alerted or sent twice: another round, another restart, another round.
    await running.worker.runOnce();
    await running.close();
    running = processOver();
    at(32);
    await running.worker.runOnce();
    await running.drain();
    expect(eventTypes(bed.kh)).toEqual(['case.urgent']);
    expect(eventTypes(bed.aseanapol)).toEqual(['case.urgent']);
    const actions = await auditActions(running, reportId);
    expect(actions.filter((action) => action.startsWith('urgent.'))).toEqual([
      'urgent.clock_started',
      'urgent.duty_alerted',
      'urgent.supervisor_alerted',
      'urgent.escalated',
    ]);
    expect(actions).toContain('routing.agency_added');
    await running.close();
  });

  it('alerts no supervisor for a case someone took (assigned or acknowledged), audited', async () => {
    const running = processOver();
    const accounts = new AccountStore({ db: running.db, cipher, now });
    const worker = await accounts.createUser({
      username: 'duty-two',
      password: 'a long enough password',
      role: 'hotline',
    });
    const taken = await running.intake.reports.submitReport(completeReport(), { actor: 'token:api' });
    const acknowledged = await running.intake.reports.submitReport(completeReport(), { actor: 'token:api' });
    const left = await running.intake.reports.submitReport(completeReport(), { actor: 'token:api' });
    at(3);
    const actor = { auditId: `user:${worker.id}`, role: 'hotline' as const, userId: worker.id };
    // A supervisor gives the case to the worker: it is the worker's, the supervisor's act.
    const supervisor = { auditId: 'user:supervisor-1', role: 'supervisor' as const, userId: 'supervisor-1' };
    await assignCase({ db: running.db, cipher, now }, supervisor, taken.reference, worker.id);
    at(5);
    expect(await acknowledgeUrgentCase({ db: running.db, cipher, now }, actor, acknowledged.reference)).toBe(
      'acknowledged',
    );
    expect(await acknowledgeUrgentCase({ db: running.db, cipher, now }, actor, acknowledged.reference)).toBe(
      'already_taken',
    );
    expect(await createUrgentCases({ db: running.db, cipher, now }).dutyDesk(hotline)).toMatchObject({ waiting: 1 });
    at(16);
    await running.worker.runOnce();
    for (const report of [taken, acknowledged]) {
      const actions = await auditActions(running, report.reportId);
      expect(actions).toContain('urgent.acknowledged');
      expect(actions).not.toContain('urgent.supervisor_alerted');
    }
    expect(await auditActions(running, left.reportId)).toContain('urgent.supervisor_alerted');
    const takenEvent = await running.db
      .selectFrom('audit_events')
      .select('actor')
      .where('report_id', '=', taken.reportId)
      .where('action', '=', 'urgent.acknowledged')
      .executeTakeFirstOrThrow();
    expect(takenEvent.actor).toBe('user:supervisor-1');
    const clocks = await running.db
      .selectFrom('urgent_clocks')
      .select(['report_id', 'hotline_acknowledged_at', 'hotline_acknowledged_by'])
      .where('report_id', 'in', [taken.reportId, acknowledged.reportId])
      .execute();
    expect(clocks.map((clock) => [clock.hotline_acknowledged_at, clock.hotline_acknowledged_by]).sort()).toEqual([
      [new Date(start + 3 * minute).toISOString(), `user:${worker.id}`],
      [new Date(start + 5 * minute).toISOString(), `user:${worker.id}`],
    ]);
    await running.close();
  });

  it('sends case.urgent once to an agency that had case.routed when the case becomes urgent by an amendment', async () => {
    const running = processOver();
    const report = completeReport();
    report.safety = { ...report.safety, heldAgainstWill: false, inImmediateDanger: false };
    const { reportId } = await running.intake.reports.submitReport(report, { actor: 'token:api' });
    await running.drain();
    expect(eventTypes(bed.kh)).toEqual(['case.routed']);
    expect(await running.db.selectFrom('urgent_clocks').selectAll().execute()).toEqual([]);

    at(2);
    await running.intake.amendments.amend({
      reportId,
      changes: { safety: { heldAgainstWill: true } },
      actor: 'channel:telegram',
      channel: 'telegram',
    });
    await running.worker.runOnce();
    await running.drain();
    // Urgent now, and once; a later amendment of the urgent case is an update, not a second alert.
    at(4);
    await running.intake.amendments.amend({
      reportId,
      changes: { victim: { currentPlace: 'Building C' } },
      actor: 'channel:telegram',
      channel: 'telegram',
    });
    await running.drain();
    const types = eventTypes(bed.kh);
    expect(types.filter((type) => type === 'case.urgent')).toHaveLength(1);
    expect(types[0]).toBe('case.routed');
    const clock = await running.db
      .selectFrom('urgent_clocks')
      .selectAll()
      .where('report_id', '=', reportId)
      .executeTakeFirstOrThrow();
    expect(clock.urgent_since).toBe(new Date(start + 2 * minute).toISOString());
    await running.close();
  });

  // Added after a fix: the amendment saw the routing delivery still on its way and left `case.urgent` to it, but its
  // document had been built before the amendment, so it went out as `case.routed` and no `case.urgent` followed.
  it('sends case.urgent once when the case becomes urgent while its case.routed is on its way', async () => {
    const running = processOver();
    const report = completeReport();
    report.safety = { ...report.safety, heldAgainstWill: false, inImmediateDanger: false };
    const { reportId } = await running.intake.reports.submitReport(report, { actor: 'token:api' });
    const hold = bed.kh.holdNext();
    const sending = running.dispatcher.runOnce();
    await hold.reached;
    at(1);
    await running.intake.amendments.amend({
      reportId,
      changes: { safety: { heldAgainstWill: true } },
      actor: 'channel:telegram',
      channel: 'telegram',
    });
    hold.release();
    await sending;
    await running.drain();
    // The case.urgent carries the document as it is now, amendment included.
    expect(eventTypes(bed.kh)).toEqual(['case.routed', 'case.urgent']);
    // Sending again changes nothing: the agency was owed one case.urgent, and has it.
    await running.drain();
    expect(eventTypes(bed.kh).filter((type) => type === 'case.urgent')).toHaveLength(1);
    await running.close();
  });

  it('sends case.urgent once for a case urgent from the start that an amendment changes', async () => {
    const running = processOver();
    const { reportId } = await running.intake.reports.submitReport(completeReport(), { actor: 'token:api' });
    await running.drain();
    at(1);
    await running.intake.amendments.amend({
      reportId,
      changes: { safety: { inImmediateDanger: true } },
      actor: 'channel:telegram',
      channel: 'telegram',
    });
    await running.drain();
    expect(eventTypes(bed.kh)).toEqual(['case.urgent', 'case.updated']);
    await running.close();
  });
});
