import type { Kysely } from 'kysely';

/**
 * The mail outbox: e-mails the hotline sends that are not an agency's delivery (a supervisor's alert when an urgent
 * case was not taken in time, a freeze request to a bank's fraud desk). Each is queued in the transaction that
 * decided it, with its audit event, and sent by a worker with a lease and retries. `dedupe_key` is unique, so the
 * same alert or the same freeze request is queued once. The message (recipients, subject, body) is encrypted: a
 * freeze request names an account and an amount.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('mail_outbox')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('kind', 'text', (col) => col.notNull())
    .addColumn('dedupe_key', 'text', (col) => col.notNull().unique())
    .addColumn('report_id', 'text', (col) => col.notNull().references('reports.id').onDelete('cascade'))
    .addColumn('freeze_request_id', 'text', (col) => col.references('freeze_requests.id').onDelete('cascade'))
    .addColumn('message_enc', 'text', (col) => col.notNull())
    .addColumn('audit_detail', 'text', (col) => col.notNull())
    .addColumn('queued_by', 'text', (col) => col.notNull())
    .addColumn('status', 'text', (col) => col.notNull())
    .addColumn('attempts', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'text', (col) => col.notNull())
    .addColumn('lease_until', 'text')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('sent_at', 'text')
    .execute();
  await db.schema.createIndex('mail_outbox_due').on('mail_outbox').columns(['status', 'next_attempt_at']).execute();
  await db.schema.createIndex('mail_outbox_by_freeze_request').on('mail_outbox').column('freeze_request_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('mail_outbox').execute();
}
