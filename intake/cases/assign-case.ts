import { appendAuditEvent } from '../store/audit-log.js';
import { mayAssignOthers, type CaseActor } from './case-actor.js';
import { requireCase, requireStaff } from './case-access.js';
import { CaseError } from './case-error.js';
import { inCaseTransaction, type CaseDependencies } from './case-transaction.js';
import { takeUrgentCase } from '../urgent/take-urgent-case.js';
import { restartUrgentClock } from '../urgent/restart-urgent-clock.js';

/**
 * Gives a case to a staff member, or to nobody. Anyone on the hotline may
 * take a case or let it go; only supervisors and administrators give one to
 * someone else, and never to an agency account.
 */
export async function assignCase(
  dependencies: CaseDependencies,
  actor: CaseActor,
  reference: string,
  assigneeId: string | null,
): Promise<void> {
  requireStaff(actor);
  await inCaseTransaction(dependencies, async (trx, at) => {
    const { reportId } = await requireCase(trx, actor, reference);
    if (assigneeId !== null) {
      const assignee = await trx
        .selectFrom('staff_users')
        .select('role')
        .where('id', '=', assigneeId)
        .executeTakeFirst();
      if (!assignee || assignee.role === 'agency') throw new CaseError('case.unknown_assignee');
      if (assigneeId !== actor.userId && !mayAssignOthers(actor.role)) throw new CaseError('case.not_allowed');
    }
    const before = await trx.selectFrom('reports').select('assigned_to').where('id', '=', reportId).executeTakeFirst();
    await trx
      .updateTable('reports')
      .set({ assigned_to: assigneeId, updated_at: at.toISOString() })
      .where('id', '=', reportId)
      .execute();
    await appendAuditEvent(trx, {
      actor: actor.auditId,
      action: 'case.assigned',
      reportId,
      at,
      detail: { assignedTo: assigneeId },
    });
    // Given to someone, an urgent case is taken by them: its hotline clock stops (audited there).
    if (assigneeId !== null)
      await takeUrgentCase(trx, {
        reportId,
        actor: actor.auditId,
        takenBy: `user:${assigneeId}`,
        how: 'assignment',
        at,
      });
    // Let go, an urgent case is nobody's: the hotline's clock starts again until someone takes it.
    if (assigneeId === null && (before?.assigned_to ?? null) !== null && dependencies.urgentClock)
      await restartUrgentClock(trx, dependencies.urgentClock, { reportId, actor: actor.auditId, reason: 'let_go', at });
  });
}
