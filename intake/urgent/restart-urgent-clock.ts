import type { Kysely } from 'kysely';
import { appendAuditEvent } from '../store/audit-log.js';
import type { Database } from '../store/database.js';
import { dialectKindOf } from '../store/dialect/dialect-kind.js';
import { awaitedAgencyOf, clockRow, startedEvent } from './start-urgent-clock.js';
import { nextCheckAt, type UrgentClockRow } from './urgent-clock-deadlines.js';
import type { UrgentClockPolicy } from './urgent-clock-policy.js';

/**
 * Why an urgent case needs someone at the hotline again: it came back into
 * the queue (a status change reopened it), the person said anew that they are
 * held or in danger (an amendment), or whoever had it let it go (unassigned).
 */
export type UrgentRestartReason = 'reopened' | 'danger_again' | 'let_go';

/**
 * What starting the clock again changes, or undefined when it goes on as it
 * is. A round still waiting goes on: its deadline is never moved later, and
 * a case already overdue stays overdue. A round that had ended (someone took
 * the case, or the worker stopped the clock while the case was closed or not
 * urgent) gives way to a new one from now: the hotline's window again, the
 * staff group told again (except when a case is only let go, which the duty
 * desk shows). An awaited agency whose window was stopped, and that never
 * accepted, gets its window again; one that accepted keeps the case.
 */
export function restartedClock(
  clock: UrgentClockRow,
  policy: UrgentClockPolicy,
  reason: UrgentRestartReason,
  at: Date,
): Partial<UrgentClockRow> | undefined {
  const timestamp = at.toISOString();
  const taken = clock.hotline_acknowledged_at !== null;
  // Untaken, not yet overdue, and yet nothing to look at: the worker stopped it (closed, withdrawn, not urgent).
  const stoppedWaiting = !taken && clock.supervisor_alerted_at === null && clock.next_check_at === null;
  const changes: Partial<UrgentClockRow> = {};
  if (taken || (reason !== 'let_go' && stoppedWaiting)) {
    Object.assign(changes, {
      urgent_since: timestamp,
      hotline_ack_due_at: new Date(at.getTime() + policy.hotlineAckMs).toISOString(),
      hotline_acknowledged_at: null,
      hotline_acknowledged_by: null,
      supervisor_alerted_at: null,
      // The staff group's alert for the round names why it began: not a new case.
      round_reason: reason,
      ...(reason === 'let_go' ? {} : { duty_alerted_at: null }),
    });
  }
  if (
    reason !== 'let_go' &&
    clock.agency_id !== null &&
    clock.agency_accepted_at === null &&
    clock.agency_accept_due_at === null
  ) {
    changes.agency_accept_due_at = new Date(at.getTime() + policy.agencyAcceptMs(clock.agency_id)).toISOString();
  }
  if (Object.keys(changes).length === 0) return undefined;
  return { ...changes, next_check_at: nextCheckAt({ ...clock, ...changes }), updated_at: timestamp };
}

/**
 * Starts an urgent case's clock again, in the caller's transaction (the
 * status change's, the unassignment's, the amendment's), audited as
 * `urgent.clock_restarted` with the reason: a person still held must not sit
 * unseen because their case was once taken or closed. Only for a case open,
 * urgent and not withdrawn; a case urgent from before the clocks existed gets
 * its first clock here. `urgent` is the caller's word for a case whose row
 * does not say it yet (an amendment writes the report row last). Returns
 * whether the clock changed.
 */
export async function restartUrgentClock(
  trx: Kysely<Database>,
  policy: UrgentClockPolicy,
  restart: { reportId: string; actor: string; reason: UrgentRestartReason; at: Date; urgent?: boolean },
): Promise<boolean> {
  const { reportId, actor, reason, at } = restart;
  const report = await trx
    .selectFrom('reports')
    .select(['urgent', 'in_queue', 'withdrawn_at'])
    .where('id', '=', reportId)
    .executeTakeFirst();
  const urgent = restart.urgent ?? report?.urgent === 1;
  if (!report || !urgent || report.in_queue !== 1 || report.withdrawn_at !== null) return false;
  const clock = await trx
    .selectFrom('urgent_clocks')
    .selectAll()
    .where('report_id', '=', reportId)
    // The clock worker holds the row while it takes a step: the two take turns.
    .$if(dialectKindOf(trx) === 'postgres', (query) => query.forUpdate())
    .executeTakeFirst();
  if (!clock) {
    const { awaited } = await awaitedAgencyOf(trx, reportId);
    // A case from before the clocks: its first clock here, but not a new case for the staff group.
    const row = { ...clockRow(policy, reportId, awaited, at), round_reason: reason };
    await trx.insertInto('urgent_clocks').values(row).execute();
    await trx
      .insertInto('audit_events')
      .values(startedEvent(row, actor, at, { reason }))
      .execute();
    return true;
  }
  const changes = restartedClock(clock, policy, reason, at);
  if (!changes) return false;
  await trx.updateTable('urgent_clocks').set(changes).where('report_id', '=', reportId).execute();
  const restarted = { ...clock, ...changes };
  await appendAuditEvent(trx, {
    actor,
    action: 'urgent.clock_restarted',
    reportId,
    at,
    detail: {
      reason,
      newRound: changes.urgent_since !== undefined,
      hotlineAckDueAt: restarted.hotline_ack_due_at,
      agencyId: restarted.agency_id,
      agencyAcceptDueAt: restarted.agency_accept_due_at,
    },
  });
  return true;
}
