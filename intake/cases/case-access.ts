import type { Kysely } from 'kysely';
import { findAgencyCase } from '../delivery/agency-cases.js';
import { normalizeReportReference } from '../report/reference-codes.js';
import type { Database } from '../store/database.js';
import { isStaff, type CaseActor } from './case-actor.js';
import { CaseError } from './case-error.js';

export interface CaseHandle {
  reportId: string;
  reference: string;
}

/**
 * The one rule of who may see which case: hotline staff every case; an
 * agency only the cases routed to it and shareable, found by one query
 * filtered by the agency, so another agency's case and a missing one take
 * the same path and answer alike.
 */
export async function findCase(
  db: Kysely<Database>,
  actor: CaseActor,
  reference: string,
): Promise<CaseHandle | undefined> {
  const canonical = normalizeReportReference(reference);
  if (!canonical) return undefined;
  if (isStaff(actor))
    return db
      .selectFrom('reports')
      .select(['id as reportId', 'reference'])
      .where('reference', '=', canonical)
      .executeTakeFirst();
  return actor.agencyId ? findAgencyCase(db, actor.agencyId, canonical) : undefined;
}

/** As findCase, for an action: a case the actor may not see is one that does not exist. */
export async function requireCase(db: Kysely<Database>, actor: CaseActor, reference: string): Promise<CaseHandle> {
  const found = await findCase(db, actor, reference);
  if (!found) throw new CaseError('case.not_found');
  return found;
}

/** Refuses an action meant for hotline staff to anyone else, as if the case were not there. */
export function requireStaff(actor: CaseActor): void {
  if (!isStaff(actor)) throw new CaseError('case.not_found');
}
