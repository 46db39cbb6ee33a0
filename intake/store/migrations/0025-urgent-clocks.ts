import type { Kysely } from 'kysely';

/**
 * One acknowledgement clock per urgent report: when the case became urgent,
 * when the hotline must have taken it (or a supervisor is alerted), and when
 * the awaited agency must have accepted it (or the case is offered to the next
 * agency of its routing). The clock worker claims due rows by `next_check_at`
 * with a lease, so a restart or a second instance loses and doubles nothing.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('urgent_clocks')
    .addColumn('report_id', 'text', (col) => col.primaryKey().references('reports.id').onDelete('cascade'))
    .addColumn('urgent_since', 'text', (col) => col.notNull())
    .addColumn('hotline_ack_due_at', 'text', (col) => col.notNull())
    .addColumn('hotline_acknowledged_at', 'text')
    .addColumn('hotline_acknowledged_by', 'text')
    .addColumn('supervisor_alerted_at', 'text')
    .addColumn('agency_id', 'text')
    .addColumn('agency_accept_due_at', 'text')
    .addColumn('agency_accepted_at', 'text')
    .addColumn('escalated_at', 'text')
    .addColumn('escalated_to', 'text')
    .addColumn('escalation_count', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('duty_alerted_at', 'text')
    .addColumn('next_check_at', 'text')
    .addColumn('lease_until', 'text')
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('updated_at', 'text', (col) => col.notNull())
    .execute();
  // The worker asks for the clocks whose next deadline has passed; a settled clock has none.
  await db.schema.createIndex('urgent_clocks_due').on('urgent_clocks').column('next_check_at').execute();
  // The dashboard measures the time to acknowledge per period of urgency.
  await db.schema.createIndex('urgent_clocks_by_since').on('urgent_clocks').column('urgent_since').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('urgent_clocks').execute();
}
