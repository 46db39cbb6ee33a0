import type { i18n } from 'i18next';
import { reportStatuses, type ReportStatus } from '../report/report-schema.js';
import type { ChatStatus } from '../store/report-followups.js';
import type { CaseActor } from './case-actor.js';
import { requireCase, requireStaff } from './case-access.js';
import { CaseError } from './case-error.js';
import { moveCaseStatus } from './change-case-status.js';
import { inCaseTransaction, type CaseDependencies } from './case-transaction.js';
import { replyTemplates, type ReplyTemplate } from './reply-templates.js';
import type { ReporterMessages } from './reporter-messages.js';

/** The statuses one triage click may set: `duplicate` needs the original named, in the full status form. */
export const triageStatuses = reportStatuses.filter((status) => status !== 'duplicate');

export interface TriageChoice {
  /** A status of `triageStatuses`, or empty to leave it. */
  status: string;
  /** A reply template, or empty to send nothing. */
  template: string;
}

/**
 * Triage in one step, as a worker does it from the case's first screen: a
 * new status and a template answer, sent in the reporter's own language. Both
 * commit together with their audit events, or neither does; a case left as
 * it was (nothing chosen) is refused rather than silently accepted.
 */
export async function triageCase(
  dependencies: CaseDependencies & { i18n: i18n },
  messenger: ReporterMessages,
  actor: CaseActor,
  reference: string,
  choice: TriageChoice,
): Promise<{ statusChanged: boolean; chat: ChatStatus | null }> {
  requireStaff(actor);
  const status = choice.status ? choice.status : undefined;
  if (status !== undefined && !(triageStatuses as readonly string[]).includes(status))
    throw new CaseError('case.invalid_status');
  const template = choice.template ? choice.template : undefined;
  if (template !== undefined && !(replyTemplates as readonly string[]).includes(template))
    throw new CaseError('case.empty_reply');
  if (status === undefined && template === undefined) throw new CaseError('case.empty_reply');
  return inCaseTransaction(dependencies, async (trx, at) => {
    const handle = await requireCase(trx, actor, reference);
    const statusChanged =
      status !== undefined &&
      (await moveCaseStatus(trx, {
        reportId: handle.reportId,
        to: status as ReportStatus,
        actor: actor.auditId,
        at,
        urgentClock: dependencies.urgentClock,
      }));
    if (template === undefined) return { statusChanged, chat: null };
    const { language } = await trx
      .selectFrom('reports')
      .select('language')
      .where('id', '=', handle.reportId)
      .executeTakeFirstOrThrow();
    const body = dependencies.i18n.getFixedT(language, 'messages')(`templates.${template as ReplyTemplate}`, {
      reference: handle.reference,
    });
    const { chat } = await messenger.send(handle.reportId, body, actor.auditId, { trx });
    return { statusChanged, chat };
  });
}
