import type { Kysely } from 'kysely';
import type { Database } from '../store/database.js';

/**
 * Which of these reports carry an indicator staff confirmed as a "recovery
 * agent" (someone who promises, for a fee, to get lost money back: a second
 * scam aimed at victims). Computed on read, so a case reported before the
 * confirmation is flagged from the moment of it, and no longer once it is
 * taken back or withdrawn.
 */
export async function reportsWithRecoveryAgent(
  db: Kysely<Database>,
  reportIds: readonly string[],
): Promise<Set<string>> {
  if (reportIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('report_indicators as ri')
    .innerJoin('check_confirmations as c', 'c.value_hash', 'ri.value_hash')
    .select('ri.report_id')
    .distinct()
    .where('ri.report_id', 'in', [...reportIds])
    .where('c.category', '=', 'recovery_agent')
    .where('c.status', '=', 'confirmed')
    .execute();
  return new Set(rows.map((row) => row.report_id));
}
