import type { LinkOverride } from '../store/indicator-links.js';
import { appendAuditEvent } from '../store/audit-log.js';
import type { CaseActor } from './case-actor.js';
import { requireCase, requireStaff } from './case-access.js';
import { CaseError } from './case-error.js';
import { inCaseTransaction, type CaseDependencies } from './case-transaction.js';

/**
 * A person's word on whether two reports belong together, over what their
 * indicators say: stored once per pair, audited on both cases.
 */
export async function setCaseLink(
  dependencies: CaseDependencies,
  actor: CaseActor,
  reference: string,
  otherReference: string,
  state: LinkOverride,
): Promise<void> {
  requireStaff(actor);
  await inCaseTransaction(dependencies, async (trx, at) => {
    const { reportId } = await requireCase(trx, actor, reference);
    const other = await requireCase(trx, actor, otherReference).catch((error: unknown) => {
      throw error instanceof CaseError ? new CaseError('case.link_not_found') : error;
    });
    if (other.reportId === reportId) throw new CaseError('case.link_to_itself');
    // A pair is stored once, in id order.
    const [a, b] = reportId < other.reportId ? [reportId, other.reportId] : [other.reportId, reportId];
    await trx.deleteFrom('report_link_overrides').where('report_a', '=', a).where('report_b', '=', b).execute();
    await trx
      .insertInto('report_link_overrides')
      .values({ report_a: a, report_b: b, state, actor: actor.auditId, created_at: at.toISOString() })
      .execute();
    for (const [subject, linked] of [
      [reportId, other.reportId],
      [other.reportId, reportId],
    ] as const) {
      await appendAuditEvent(trx, {
        actor: actor.auditId,
        action: state === 'linked' ? 'case.linked' : 'case.unlinked',
        reportId: subject,
        at,
        detail: { otherReportId: linked },
      });
    }
  });
}
