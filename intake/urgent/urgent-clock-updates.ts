import { sql, type Kysely } from 'kysely';
import type { Database } from '../store/database.js';
import type { UrgentClockRow } from './urgent-clock-deadlines.js';

/** What one clock's step writes to its row. */
export interface ClockUpdate {
  reportId: string;
  set: Partial<UrgentClockRow>;
}

/**
 * One UPDATE for the steps of many clocks (the statement is not run here: callers add their conditions). A column
 * every clock sets to the same value (the lease given back, the moment of the step) is set plainly; one they set
 * differently, or only some of them set, takes each clock's value by a CASE on its report id and keeps its own
 * elsewhere. One statement for a claimed batch instead of one per clock.
 */
export function updateClocks(db: Kysely<Database>, updates: readonly ClockUpdate[]) {
  const columns = [...new Set(updates.flatMap((update) => Object.keys(update.set)))] as Array<keyof UrgentClockRow>;
  const set: Record<string, unknown> = {};
  for (const column of columns) {
    const setting = updates.filter((update) => column in update.set);
    const first = setting[0]!.set[column];
    if (setting.length === updates.length && setting.every((update) => update.set[column] === first)) {
      set[column] = first;
      continue;
    }
    const cases = setting.map((update) => sql`when ${update.reportId} then ${update.set[column]}`);
    set[column] = sql`case ${sql.ref('report_id')} ${sql.join(cases, sql` `)} else ${sql.ref(column)} end`;
  }
  return db
    .updateTable('urgent_clocks')
    .set(set as never)
    .where(
      'report_id',
      'in',
      updates.map((update) => update.reportId),
    );
}
