import { appendAuditEvent } from '../store/audit-log.js';
import type { CaseActor } from './case-actor.js';
import { requireCase, requireStaff } from './case-access.js';
import { inCaseTransaction, type CaseDependencies } from './case-transaction.js';

/**
 * Puts a delivery that failed after its last try back in the queue, from a
 * case (staff) or by its id alone (an administrator's API token). A delivery
 * of another case, or one that has not failed, is left as it is: false.
 */
export async function retryDelivery(
  dependencies: CaseDependencies,
  afterCommit: () => void,
  actor: CaseActor,
  deliveryId: string,
  reference?: string,
): Promise<boolean> {
  requireStaff(actor);
  const retried = await inCaseTransaction(dependencies, async (trx, at) => {
    let query = trx
      .selectFrom('deliveries')
      .select(['report_id'])
      .where('id', '=', deliveryId)
      .where('status', '=', 'failed');
    if (reference !== undefined)
      query = query.where('report_id', '=', (await requireCase(trx, actor, reference)).reportId);
    const row = await query.executeTakeFirst();
    if (!row) return false;
    await trx
      .updateTable('deliveries')
      .set({ status: 'pending', attempts: 0, next_attempt_at: at.toISOString(), lease_until: null })
      .where('id', '=', deliveryId)
      .execute();
    await appendAuditEvent(trx, {
      actor: actor.auditId,
      action: 'delivery.retried',
      reportId: row.report_id,
      at,
      detail: { deliveryId },
    });
    return true;
  });
  if (retried) afterCommit();
  return retried;
}
