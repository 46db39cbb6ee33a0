import { sql } from 'kysely';
import type { Channel } from '../report/report-schema.js';
import { appendAuditEvent } from '../store/audit-log.js';
import { dialectKindOf } from '../store/dialect/dialect-kind.js';
import { appendCaseNote } from './add-case-note.js';
import { CaseError } from './case-error.js';
import { inCaseTransaction, type CaseDependencies } from './case-transaction.js';

/** The audit action staff read in the case's history ("the reporter asked for a correction"). */
export const correctionRequestedAction = 'case.correction_requested';

export interface CorrectionRequest {
  reportId: string;
  /**
   * What the reporter took back (an unsent photo, a phone number they edited away), as it stands in the report:
   * one entry per list item. Stored lists only grow, so staff remove them by hand.
   */
  removals: string[];
  /** Who asked, for the audit log and the note's author: `channel:telegram`. Never a name. */
  actor: string;
  channel: Channel;
  /** The message that asked: its redelivery records nothing twice. */
  idempotency: { scope: string; key: string };
}

/**
 * A reporter took back something already in their stored report (LINE
 * `unsend`, a Telegram edit that drops a number), which the amend operation
 * cannot remove (a stored report's lists only grow, and a removal seen by
 * agencies is staff's call). It is recorded for staff on the case, in one
 * transaction: an internal note listing exactly what to remove, written by
 * the channel, and its audit event, which the case history shows as a
 * correction request. The report itself is unchanged.
 */
export async function requestCorrection(
  dependencies: CaseDependencies,
  request: CorrectionRequest,
): Promise<{ recorded: boolean }> {
  const removals = request.removals.map((item) => item.trim()).filter(Boolean);
  if (removals.length === 0) return { recorded: false };
  const key = `${request.idempotency.scope}:${request.idempotency.key}`;
  return inCaseTransaction(dependencies, async (trx, at) => {
    // PostgreSQL: hold the report row, so two deliveries of one message take turns and the second sees the first.
    const report = await trx
      .selectFrom('reports')
      .select('id')
      .where('id', '=', request.reportId)
      .$if(dialectKindOf(trx) === 'postgres', (query) => query.forUpdate())
      .executeTakeFirst();
    if (!report) throw new CaseError('case.not_found', 'no such report');
    const detail = JSON.stringify({ key, channel: request.channel, items: removals.length });
    const earlier = await trx
      .selectFrom('audit_events')
      .select(sql<number>`1`.as('found'))
      .where('report_id', '=', request.reportId)
      .where('action', '=', correctionRequestedAction)
      .where('detail', '=', detail)
      .executeTakeFirst();
    if (earlier) return { recorded: false };
    await appendCaseNote(trx, dependencies.cipher, {
      reportId: request.reportId,
      text: removals.join('\n'),
      author: request.actor,
      at,
    });
    await appendAuditEvent(trx, {
      actor: request.actor,
      action: correctionRequestedAction,
      reportId: request.reportId,
      detail: JSON.parse(detail) as Record<string, unknown>,
      at,
    });
    return { recorded: true };
  });
}
