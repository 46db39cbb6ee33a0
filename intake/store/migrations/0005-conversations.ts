import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('conversations')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('channel', 'text', (col) => col.notNull())
    .addColumn('channel_user_hash', 'text', (col) => col.notNull())
    .addColumn('channel_user_enc', 'text', (col) => col.notNull())
    .addColumn('state_enc', 'text', (col) => col.notNull())
    .addColumn('version', 'integer', (col) => col.notNull())
    .addColumn('status', 'text', (col) => col.notNull())
    .addColumn('report_id', 'text', (col) => col.references('reports.id').onDelete('set null'))
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('updated_at', 'text', (col) => col.notNull())
    .addUniqueConstraint('conversations_channel_user', ['channel', 'channel_user_hash'])
    .execute();
  await db.schema.createIndex('conversations_by_report').on('conversations').column('report_id').execute();

  await db.schema
    .createTable('processed_updates')
    .addColumn('channel', 'text', (col) => col.notNull())
    .addColumn('update_key', 'text', (col) => col.notNull())
    .addColumn('processed_at', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('processed_updates_pk', ['channel', 'update_key'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('processed_updates').execute();
  await db.schema.dropTable('conversations').execute();
}
