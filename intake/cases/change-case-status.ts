import { normalizeReportReference } from '../report/reference-codes.js';
import { reportStatuses, type ReportStatus } from '../report/report-schema.js';
import { appendAuditEvent } from '../store/audit-log.js';
import type { CaseActor } from './case-actor.js';
import { requireCase, requireStaff } from './case-access.js';
import { CaseError } from './case-error.js';
import { inQueue } from './case-queue.js';
import { inCaseTransaction, type CaseDependencies, type CaseTransaction } from './case-transaction.js';
import type { UrgentClockPolicy } from '../urgent/urgent-clock-policy.js';
import { restartUrgentClock } from '../urgent/restart-urgent-clock.js';

/**
 * The one place a case's status changes, inside the caller's transaction:
 * with the queue flag that must follow it, the duplicate it names (or none),
 * and its audit event. With `onlyFrom`, a case in any other status is left
 * as it is (an agency's acceptance does not reopen a closed case); whether
 * it moved is returned. With the deployment's `urgentClock`, an urgent case
 * coming back into the queue has its clock started again (the hotline must
 * take it again); `reason` says in the audit event why a move was made for
 * the person rather than by staff.
 */
export async function moveCaseStatus(
  trx: CaseTransaction,
  move: {
    reportId: string;
    to: ReportStatus;
    actor: string;
    at: Date;
    duplicateOf?: string | null;
    onlyFrom?: readonly ReportStatus[];
    urgentClock?: UrgentClockPolicy | undefined;
    reason?: string;
  },
): Promise<boolean> {
  const before = await trx
    .selectFrom('reports')
    .select(['status', 'in_queue'])
    .where('id', '=', move.reportId)
    .executeTakeFirst();
  if (!before) throw new CaseError('case.not_found');
  if (move.onlyFrom && !move.onlyFrom.includes(before.status as ReportStatus)) return false;
  const duplicateOf = move.duplicateOf ?? null;
  await trx
    .updateTable('reports')
    .set({ status: move.to, in_queue: inQueue(move.to), duplicate_of: duplicateOf, updated_at: move.at.toISOString() })
    .where('id', '=', move.reportId)
    .execute();
  await appendAuditEvent(trx, {
    actor: move.actor,
    action: 'case.status_changed',
    reportId: move.reportId,
    at: move.at,
    detail: {
      from: before.status,
      to: move.to,
      ...(duplicateOf ? { duplicateOf } : {}),
      ...(move.reason ? { reason: move.reason } : {}),
    },
  });
  if (move.urgentClock && before.in_queue !== 1 && inQueue(move.to) === 1)
    await restartUrgentClock(trx, move.urgentClock, {
      reportId: move.reportId,
      actor: move.actor,
      reason: 'reopened',
      at: move.at,
    });
  return true;
}

/** Moves a case to a status; `duplicate` needs the reference of the case it repeats, any other clears it. */
export async function changeCaseStatus(
  dependencies: CaseDependencies,
  actor: CaseActor,
  reference: string,
  change: { status: string; duplicateOf?: string | undefined },
): Promise<void> {
  requireStaff(actor);
  if (!(reportStatuses as readonly string[]).includes(change.status)) throw new CaseError('case.invalid_status');
  const status = change.status as ReportStatus;
  await inCaseTransaction(dependencies, async (trx, at) => {
    const { reportId } = await requireCase(trx, actor, reference);
    let duplicateOf: string | null = null;
    if (status === 'duplicate') {
      const original = normalizeReportReference(change.duplicateOf ?? '');
      const row = original
        ? await trx.selectFrom('reports').select('id').where('reference', '=', original).executeTakeFirst()
        : undefined;
      if (!row) throw new CaseError('case.duplicate_needs_original');
      if (row.id === reportId) throw new CaseError('case.duplicate_of_itself');
      duplicateOf = row.id;
    }
    await moveCaseStatus(trx, {
      reportId,
      to: status,
      actor: actor.auditId,
      at,
      duplicateOf,
      urgentClock: dependencies.urgentClock,
    });
  });
}
