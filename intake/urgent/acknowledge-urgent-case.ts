import type { CaseActor } from '../cases/case-actor.js';
import { requireCase, requireStaff } from '../cases/case-access.js';
import { inCaseTransaction, touchCase, type CaseDependencies } from '../cases/case-transaction.js';
import { takeUrgentCase } from './take-urgent-case.js';

export type AcknowledgementOutcome = 'acknowledged' | 'already_taken' | 'not_urgent';

/**
 * Someone at the hotline says "I have this urgent case" without taking it
 * as theirs (the duty desk's acknowledge button): the clock's hotline part
 * stops, audited, in one transaction. Acknowledging a case already taken, or
 * one that is not urgent, changes nothing and says so.
 */
export async function acknowledgeUrgentCase(
  dependencies: CaseDependencies,
  actor: CaseActor,
  reference: string,
): Promise<AcknowledgementOutcome> {
  requireStaff(actor);
  return inCaseTransaction(dependencies, async (trx, at) => {
    const { reportId } = await requireCase(trx, actor, reference);
    const clock = await trx
      .selectFrom('urgent_clocks')
      .select('hotline_acknowledged_at')
      .where('report_id', '=', reportId)
      .executeTakeFirst();
    if (!clock) return 'not_urgent';
    if (!(await takeUrgentCase(trx, { reportId, actor: actor.auditId, how: 'acknowledgement', at })))
      return 'already_taken';
    await touchCase(trx, reportId, at);
    return 'acknowledged';
  });
}
