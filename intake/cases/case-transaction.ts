import type { Kysely, Transaction } from 'kysely';
import type { Clock } from '../clock.js';
import type { FieldCipher } from '../crypto/field-cipher.js';

import type { Database } from '../store/database.js';
import type { UrgentClockPolicy } from '../urgent/urgent-clock-policy.js';

/** What every use case on a case works with; the composition root builds it once. */
export interface CaseDependencies {
  db: Kysely<Database>;
  cipher: FieldCipher;
  now: Clock;
  /** The deployment's urgent clock: an urgent case reopened or let go starts it again. Without it, none restarts. */
  urgentClock?: UrgentClockPolicy | undefined;
}

export type CaseTransaction = Transaction<Database>;

/**
 * Runs one action on a case in one transaction: its writes and its audit
 * event commit together or not at all. The work is handed the moment the
 * action happens, so every row it writes carries the same time.
 */
export function inCaseTransaction<T>(
  dependencies: CaseDependencies,
  work: (trx: CaseTransaction, at: Date) => Promise<T>,
): Promise<T> {
  const at = dependencies.now();
  return dependencies.db.transaction().execute((trx) => work(trx, at));
}

/** Marks a case as changed now, so the queue and the agencies' lists see it move. */
export async function touchCase(trx: CaseTransaction, reportId: string, at: Date): Promise<void> {
  await trx.updateTable('reports').set({ updated_at: at.toISOString() }).where('id', '=', reportId).execute();
}
