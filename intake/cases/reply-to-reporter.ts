import { appendAuditEvent } from '../store/audit-log.js';
import type { ChatStatus } from '../store/report-followups.js';
import type { CaseActor } from './case-actor.js';
import { requireCase, requireStaff } from './case-access.js';
import { CaseError } from './case-error.js';
import type { ReporterMessages } from './reporter-messages.js';
import { inCaseTransaction, type CaseDependencies } from './case-transaction.js';

/** Writes to the reporter: on their status page, and in their chat when they agreed to be contacted. */
export async function replyToReporter(
  dependencies: CaseDependencies,
  messenger: ReporterMessages,
  actor: CaseActor,
  reference: string,
  body: string,
): Promise<{ chat: ChatStatus }> {
  requireStaff(actor);
  if (!body.trim()) throw new CaseError('case.empty_reply');
  return inCaseTransaction(dependencies, async (trx) => {
    const { reportId } = await requireCase(trx, actor, reference);
    const { chat } = await messenger.send(reportId, body, actor.auditId, { trx });
    return { chat };
  });
}

/** Tries the reporter's chat again for a message of this case that it refused. */
export async function resendReply(
  dependencies: CaseDependencies,
  messenger: ReporterMessages,
  actor: CaseActor,
  reference: string,
  messageId: number,
): Promise<{ chat: ChatStatus }> {
  requireStaff(actor);
  return inCaseTransaction(dependencies, async (trx, at) => {
    const { reportId } = await requireCase(trx, actor, reference);
    const message = await trx
      .selectFrom('reporter_messages')
      .select('id')
      .where('id', '=', messageId)
      .where('report_id', '=', reportId)
      .executeTakeFirst();
    if (!message) throw new CaseError('case.not_found');
    const chat = await messenger.resend(messageId, { trx });
    if (!chat) throw new CaseError('case.message_not_failed');
    await appendAuditEvent(trx, {
      actor: actor.auditId,
      action: 'report.message_resent',
      reportId,
      at,
      detail: { messageId, result: chat },
    });
    return { chat };
  });
}
