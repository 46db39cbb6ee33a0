import { planRouting } from '../routing/case-router.js';
import type { AgencyDirectory } from '../routing/load-agency-directory.js';
import { correctRouting } from '../routing/routing-correction.js';
import { decisionChosenByStaff } from '../routing/staff-routing.js';
import { appendCaseNote } from './add-case-note.js';
import type { CaseActor } from './case-actor.js';
import { requireCase, requireStaff } from './case-access.js';
import { CaseError } from './case-error.js';
import { inCaseTransaction, type CaseDependencies } from './case-transaction.js';

export interface RoutingCorrectionParts {
  directory: AgencyDirectory;
  /**
   * What the note starts with, in the deployment's language: the note is
   * read by every staff member whatever language they work in, so it is not
   * written in the language of the one who made the correction.
   */
  notePrefix: string;
  /** Told once the correction is committed: deliveries to an agency just added go out at once. */
  afterCommit: () => void;
}

/**
 * Replaces a case's routing with the agencies a person chose, for a reason
 * kept as an internal note: the routing (with its deliveries re-planned),
 * the note and both audit events in one transaction.
 */
export async function correctCaseRouting(
  dependencies: CaseDependencies,
  parts: RoutingCorrectionParts,
  actor: CaseActor,
  reference: string,
  choice: { primary: string; copies: readonly string[]; reason: string },
): Promise<void> {
  requireStaff(actor);
  const known = (id: string) => parts.directory.agencies.has(id);
  if (!known(choice.primary) || !choice.copies.every(known)) throw new CaseError('case.unknown_agency');
  const reason = choice.reason.trim();
  if (!reason) throw new CaseError('case.reason_required');
  const copies = [...new Set(choice.copies)].filter((id) => id !== choice.primary);
  await inCaseTransaction(dependencies, async (trx, at) => {
    const { reportId } = await requireCase(trx, actor, reference);
    const facts = await trx
      .selectFrom('reports')
      .select(['urgent', 'consent_share'])
      .where('id', '=', reportId)
      .executeTakeFirstOrThrow();
    const plan = planRouting(
      decisionChosenByStaff(
        { primary: choice.primary, copies },
        { urgent: facts.urgent === 1, withheld: facts.consent_share !== 1 },
      ),
      parts.directory,
    );
    await correctRouting(trx, dependencies.cipher, reportId, plan, { actor: actor.auditId, at });
    await appendCaseNote(trx, dependencies.cipher, {
      reportId,
      text: `${parts.notePrefix} ${reason}`,
      author: actor.auditId,
      at,
    });
  });
  parts.afterCommit();
}
