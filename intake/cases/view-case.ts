import { appendAuditEvent } from '../store/audit-log.js';
import type { CaseActor } from './case-actor.js';
import { findCase, type CaseHandle } from './case-access.js';
import { inCaseTransaction, type CaseDependencies } from './case-transaction.js';

/**
 * A look at a case's personal data, for whoever may see the case: what
 * `load` reads is handed out only once the look is in the audit log, so
 * nobody reads a case without leaving a trace. A case the actor may not
 * see, or one `load` finds nothing of, is undefined and leaves no trace.
 */
export async function viewCase<T>(
  dependencies: CaseDependencies,
  actor: CaseActor,
  reference: string,
  load: (found: CaseHandle) => Promise<T | undefined>,
): Promise<(CaseHandle & { view: T }) | undefined> {
  const found = await findCase(dependencies.db, actor, reference);
  const view = found ? await load(found) : undefined;
  if (!found || view === undefined) return undefined;
  await inCaseTransaction(dependencies, (trx, at) =>
    appendAuditEvent(trx, { actor: actor.auditId, action: 'report.viewed', reportId: found.reportId, at }),
  );
  return { ...found, view };
}
