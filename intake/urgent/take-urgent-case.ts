import type { Kysely } from 'kysely';
import { appendAuditEvent } from '../store/audit-log.js';
import type { Database } from '../store/database.js';
import { nextCheckAt } from './urgent-clock-deadlines.js';

/** How someone at the hotline took an urgent case: by taking (or being given) it, or with the acknowledge button. */
export type UrgentTakenBy = 'assignment' | 'acknowledgement';

/**
 * Stops the hotline's clock of an urgent case, in the caller's transaction
 * (the assignment's, or the acknowledgement's): the first time only, audited,
 * so a supervisor is never alerted for a case someone took. Nothing happens
 * for a case without a clock or one already taken. Returns whether it was
 * this call that took it.
 */
export async function takeUrgentCase(
  trx: Kysely<Database>,
  taking: {
    reportId: string;
    /** Who acted, for the audit log. */
    actor: string;
    /** Who has the case now (`user:<id>`): the assignee, or who acknowledged it; the actor when not given. */
    takenBy?: string;
    how: UrgentTakenBy;
    at: Date;
  },
): Promise<boolean> {
  const clock = await trx
    .selectFrom('urgent_clocks')
    .selectAll()
    .where('report_id', '=', taking.reportId)
    .executeTakeFirst();
  if (!clock || clock.hotline_acknowledged_at !== null) return false;
  const timestamp = taking.at.toISOString();
  const takenBy = taking.takenBy ?? taking.actor;
  const taken = { ...clock, hotline_acknowledged_at: timestamp, hotline_acknowledged_by: takenBy };
  const result = await trx
    .updateTable('urgent_clocks')
    .set({
      hotline_acknowledged_at: timestamp,
      hotline_acknowledged_by: takenBy,
      next_check_at: nextCheckAt(taken),
      updated_at: timestamp,
    })
    .where('report_id', '=', taking.reportId)
    .where('hotline_acknowledged_at', 'is', null)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) return false;
  const waitedMs = taking.at.getTime() - new Date(clock.urgent_since).getTime();
  await appendAuditEvent(trx, {
    actor: taking.actor,
    action: 'urgent.acknowledged',
    reportId: taking.reportId,
    at: taking.at,
    detail: { how: taking.how, takenBy, waitedSeconds: Math.max(0, Math.round(waitedMs / 1000)) },
  });
  return true;
}
