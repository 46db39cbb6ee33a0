import type { Kysely } from 'kysely';

/**
 * Why an urgent clock's current round began: null for the case's first urgency, else the reason its clock was
 * started again (`reopened`, `danger_again`, `let_go`; restart-urgent-clock.ts). The staff group's alert for a
 * round says which: a case back in the queue or a person in danger again is not a new case.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('urgent_clocks').addColumn('round_reason', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('urgent_clocks').dropColumn('round_reason').execute();
}
