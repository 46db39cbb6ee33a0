import type { Kysely, Transaction } from 'kysely';
import { moveCaseStatus } from '../cases/change-case-status.js';
import { openStatuses } from '../cases/case-queue.js';
import type { ReportContent, ReportStatus } from '../report/report-schema.js';
import type { Database } from '../store/database.js';
import { restartUrgentClock } from './restart-urgent-clock.js';
import { startUrgentClockByAmendment } from './start-urgent-clock.js';
import type { UrgentClockPolicy } from './urgent-clock-policy.js';

/** Whether an amendment says what the report did not say before it: that the person is held, or in danger. */
export function saysDangerAnew(before: Pick<ReportContent, 'safety'>, after: Pick<ReportContent, 'safety'>): boolean {
  return (
    (after.safety.heldAgainstWill === true && before.safety.heldAgainstWill !== true) ||
    (after.safety.inImmediateDanger === true && before.safety.inImmediateDanger !== true)
  );
}

/**
 * What an amendment of an urgent report does to its clock, in the
 * amendment's transaction (after its re-routing, before the report row is
 * written). Urgent for the first time: the clock starts, and agencies that had
 * `case.routed` get `case.urgent` once (`startUrgentClockByAmendment`). When
 * the amendment says anew that the person is held or in danger (released
 * and held again, or in danger now as well), it is a new alarm: a closed
 * case comes back into the queue, in the status it had before it was closed
 * (a withdrawn one stays as the reporter left it), and the clock starts
 * again (`restartUrgentClock`). Returns how many deliveries were queued.
 */
export async function urgentClockAfterAmendment(
  trx: Transaction<Database>,
  policy: UrgentClockPolicy,
  reportId: string,
  amendment: { actor: string; at: Date; version: number; dangerAnew: boolean },
): Promise<number> {
  const { actor, at, dangerAnew } = amendment;
  if (dangerAnew) await reopenForDanger(trx, reportId, actor, at);
  const hadClock = await trx
    .selectFrom('urgent_clocks')
    .select('report_id')
    .where('report_id', '=', reportId)
    .executeTakeFirst();
  const deliveries = await startUrgentClockByAmendment(trx, policy, reportId, amendment);
  if (hadClock && dangerAnew)
    await restartUrgentClock(trx, policy, { reportId, actor, reason: 'danger_again', at, urgent: true });
  return deliveries;
}

/** A closed (or duplicate) case the person says anew they are held in: back in the queue, where it was. */
async function reopenForDanger(trx: Transaction<Database>, reportId: string, actor: string, at: Date): Promise<void> {
  const report = await trx
    .selectFrom('reports')
    .select(['in_queue', 'withdrawn_at'])
    .where('id', '=', reportId)
    .executeTakeFirst();
  if (!report || report.in_queue === 1 || report.withdrawn_at !== null) return;
  await moveCaseStatus(trx, {
    reportId,
    to: await statusBeforeClosing(trx, reportId),
    actor,
    at,
    reason: 'danger_again',
  });
}

/** The open status a case had when it last left the queue; `new` when the log says none. */
async function statusBeforeClosing(trx: Kysely<Database>, reportId: string): Promise<ReportStatus> {
  const moves = await trx
    .selectFrom('audit_events')
    .select('detail')
    .where('report_id', '=', reportId)
    .where('action', '=', 'case.status_changed')
    .orderBy('seq', 'desc')
    .execute();
  const open = openStatuses as readonly string[];
  for (const move of moves) {
    const { from, to } = JSON.parse(move.detail) as { from?: unknown; to?: unknown };
    if (typeof from === 'string' && open.includes(from) && typeof to === 'string' && !open.includes(to))
      return from as ReportStatus;
  }
  return 'new';
}
