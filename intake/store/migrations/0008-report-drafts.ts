import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('report_drafts')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('resume_hash', 'text', (col) => col.notNull().unique())
    .addColumn('content_enc', 'text', (col) => col.notNull())
    .addColumn('version', 'integer', (col) => col.notNull())
    .addColumn('status', 'text', (col) => col.notNull())
    .addColumn('report_id', 'text', (col) => col.references('reports.id').onDelete('set null'))
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('updated_at', 'text', (col) => col.notNull())
    .addColumn('expires_at', 'text', (col) => col.notNull())
    .execute();
  // Expired drafts are deleted in bulk.
  await db.schema.createIndex('report_drafts_by_expiry').on('report_drafts').column('expires_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('report_drafts').execute();
}
