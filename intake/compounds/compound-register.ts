import { isStaff, type CaseActor } from '../cases/case-actor.js';
import { requireCase, requireStaff } from '../cases/case-access.js';
import { inCaseTransaction, touchCase, type CaseDependencies } from '../cases/case-transaction.js';
import { appendAuditEvent } from '../store/audit-log.js';
import { newTimeOrderedId } from '../store/time-ordered-id.js';
import { CompoundError } from './compound-error.js';
import { parseCompoundForm, type CompoundForm, type CompoundInput } from './compound-input.js';
import { compoundOfRow } from './compound-rows.js';

export interface CompoundRegisterDependencies extends CaseDependencies {
  /** Told after a commit that calls for matching (a compound added or edited, a case confirmed). */
  matchingNeeded?: () => void;
}

/** The fields that decide what the compound is matched by: a change to one has existing reports looked at again. */
const matchingFields = ['name', 'aliases', 'latitude', 'longitude'] as const satisfies ReadonlyArray<
  keyof CompoundInput
>;

function rowValues(input: CompoundInput) {
  return {
    name: input.name,
    aliases: JSON.stringify(input.aliases),
    country: input.country,
    area: input.area,
    latitude: input.latitude,
    longitude: input.longitude,
    landmarks: JSON.stringify(input.landmarks),
    status: input.status,
    notes: input.notes,
  };
}

function parsed(form: CompoundForm): CompoundInput {
  const result = parseCompoundForm(form);
  if (!result.ok) throw new CompoundError('compound.invalid', result.problems);
  return result.value;
}

/** Adds a compound to the register (audited); the matcher then proposes it for existing reports. */
export async function addCompound(
  dependencies: CompoundRegisterDependencies,
  actor: CaseActor,
  form: CompoundForm,
): Promise<{ id: string }> {
  requireStaff(actor);
  const input = parsed(form);
  const id = await inCaseTransaction(dependencies, async (trx, at) => {
    const id = newTimeOrderedId(at.getTime());
    const timestamp = at.toISOString();
    await trx
      .insertInto('compounds')
      .values({
        id,
        ...rowValues(input),
        revision: 1,
        matched_revision: 0,
        created_at: timestamp,
        created_by: actor.auditId,
        updated_at: timestamp,
        updated_by: actor.auditId,
      })
      .execute();
    await appendAuditEvent(trx, { actor: actor.auditId, action: 'compound.added', at, detail: { compoundId: id } });
    return id;
  });
  dependencies.matchingNeeded?.();
  return { id };
}

/**
 * Changes a compound (audited with the names of the fields changed, never
 * their values). `seenUpdatedAt` is the version the editor started from: an
 * edit made meanwhile by someone else is not overwritten, the form comes
 * back with what was typed.
 */
export async function editCompound(
  dependencies: CompoundRegisterDependencies,
  actor: CaseActor,
  compoundId: string,
  form: CompoundForm,
  seenUpdatedAt: string,
): Promise<void> {
  requireStaff(actor);
  const input = parsed(form);
  const rematch = await inCaseTransaction(dependencies, async (trx, at) => {
    const row = await trx.selectFrom('compounds').selectAll().where('id', '=', compoundId).executeTakeFirst();
    if (!row) throw new CompoundError('compound.not_found');
    if (row.updated_at !== seenUpdatedAt) throw new CompoundError('compound.edited_meanwhile');
    const before = compoundOfRow(row);
    const changed = (Object.keys(input) as Array<keyof CompoundInput>).filter(
      (field) => JSON.stringify(before[field]) !== JSON.stringify(input[field]),
    );
    if (changed.length === 0) return false;
    const rematch = changed.some((field) => (matchingFields as readonly string[]).includes(field));
    await trx
      .updateTable('compounds')
      .set({
        ...rowValues(input),
        ...(rematch ? { revision: Number(row.revision) + 1 } : {}),
        updated_at: at.toISOString(),
        updated_by: actor.auditId,
      })
      .where('id', '=', compoundId)
      .execute();
    await appendAuditEvent(trx, {
      actor: actor.auditId,
      action: 'compound.edited',
      at,
      detail: { compoundId, fields: changed },
    });
    return rematch;
  });
  if (rematch) dependencies.matchingNeeded?.();
}

export type ProposalDecision = 'confirmed' | 'rejected';

/**
 * Staff's word on whether a case is about a compound: a proposal confirmed
 * or rejected (or a decision changed), audited on the case. A rejected
 * proposal stays rejected: the matcher never makes it again. A confirmed
 * case has the compound looked at again, so reports linked to it are
 * proposed too.
 */
export async function decideCompoundCase(
  dependencies: CompoundRegisterDependencies,
  actor: CaseActor,
  compoundId: string,
  reference: string,
  decision: ProposalDecision,
): Promise<void> {
  requireStaff(actor);
  if (decision !== 'confirmed' && decision !== 'rejected') throw new CompoundError('compound.invalid_decision');
  const changed = await inCaseTransaction(dependencies, async (trx, at) => {
    const { reportId } = await requireCase(trx, actor, reference);
    const row = await trx
      .selectFrom('compound_cases')
      .innerJoin('compounds', 'compounds.id', 'compound_cases.compound_id')
      .select(['compound_cases.state'])
      .where('compound_cases.compound_id', '=', compoundId)
      .where('compound_cases.report_id', '=', reportId)
      .executeTakeFirst();
    if (!row) throw new CompoundError('compound.case_not_proposed');
    if (row.state === decision) return false;
    await trx
      .updateTable('compound_cases')
      .set({ state: decision, decided_at: at.toISOString(), decided_by: actor.auditId })
      .where('compound_id', '=', compoundId)
      .where('report_id', '=', reportId)
      .execute();
    await appendAuditEvent(trx, {
      actor: actor.auditId,
      action: decision === 'confirmed' ? 'compound.case_confirmed' : 'compound.case_rejected',
      reportId,
      at,
      detail: { compoundId, from: row.state },
    });
    // Touched, the case is looked at again by the matcher: the reports linked to it are proposed for the compound.
    await touchCase(trx, reportId, at);
    return true;
  });
  if (changed) dependencies.matchingNeeded?.();
}

/** Whether the actor may keep the register (hotline staff, not an agency). */
export const mayKeepRegister = (actor: CaseActor): boolean => isStaff(actor);
