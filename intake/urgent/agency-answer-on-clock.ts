import type { Kysely } from 'kysely';
import type { AgencyDecision } from '../cases/agency-responses.js';
import { appendAuditEvent } from '../store/audit-log.js';
import type { Database } from '../store/database.js';
import { nextCheckAt } from './urgent-clock-deadlines.js';

/**
 * What the awaited agency's answer does to an urgent case's clock, in the
 * answer's transaction: accepting stops the agency's clock; declining makes
 * it due now, so the worker offers the case to the next agency at once rather
 * than when the window ends. Another agency's answer leaves it as it is.
 */
export async function agencyAnswerOnClock(
  trx: Kysely<Database>,
  answer: { reportId: string; agencyId: string; decision: AgencyDecision; actor: string; at: Date },
): Promise<void> {
  const clock = await trx
    .selectFrom('urgent_clocks')
    .selectAll()
    .where('report_id', '=', answer.reportId)
    .where('agency_id', '=', answer.agencyId)
    .where('agency_accepted_at', 'is', null)
    .executeTakeFirst();
  if (!clock || clock.agency_accept_due_at === null) return;
  const timestamp = answer.at.toISOString();
  const changed =
    answer.decision === 'accepted'
      ? { ...clock, agency_accepted_at: timestamp }
      : { ...clock, agency_accept_due_at: timestamp };
  await trx
    .updateTable('urgent_clocks')
    .set({
      agency_accepted_at: changed.agency_accepted_at,
      agency_accept_due_at: changed.agency_accept_due_at,
      next_check_at: nextCheckAt(changed),
      updated_at: timestamp,
    })
    .where('report_id', '=', answer.reportId)
    .execute();
  if (answer.decision === 'accepted')
    await appendAuditEvent(trx, {
      actor: answer.actor,
      action: 'urgent.agency_accepted',
      reportId: answer.reportId,
      at: answer.at,
      detail: { agencyId: answer.agencyId },
    });
}
