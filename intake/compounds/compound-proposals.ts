import type { Kysely } from 'kysely';
import { appendAuditEvent } from '../store/audit-log.js';
import type { Database } from '../store/database.js';
import type { CompoundMatch } from './compound-matching.js';

/** Who the audit log names for a proposal: the matcher, not a person. */
export const compoundMatcherActor = 'system:compound-matcher';

/**
 * Records proposals for one report, each with its audit event, in one
 * transaction. A pair already there (proposed, confirmed or rejected) is left
 * as it is: matching the same report again, or two matchers at once, propose
 * nothing twice, and a proposal staff rejected is never made again.
 */
export async function recordProposals(
  db: Kysely<Database>,
  reportId: string,
  matches: readonly CompoundMatch[],
  at: Date,
): Promise<number> {
  if (matches.length === 0) return 0;
  return db.transaction().execute(async (trx) => {
    let made = 0;
    for (const match of matches) {
      const result = await trx
        .insertInto('compound_cases')
        .values({
          compound_id: match.compoundId,
          report_id: reportId,
          state: 'proposed',
          reason: match.reason,
          detail: JSON.stringify(match.detail),
          proposed_at: at.toISOString(),
          decided_at: null,
          decided_by: null,
        })
        .onConflict((conflict) => conflict.columns(['compound_id', 'report_id']).doNothing())
        .executeTakeFirst();
      if (Number(result.numInsertedOrUpdatedRows ?? 0n) === 0) continue;
      made += 1;
      await appendAuditEvent(trx, {
        actor: compoundMatcherActor,
        action: 'compound.proposed',
        reportId,
        at,
        detail: { compoundId: match.compoundId, reason: match.reason, reasons: match.detail.reasons },
      });
    }
    return made;
  });
}
