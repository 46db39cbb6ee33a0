import type { Kysely } from 'kysely';
import { addSerialPrimaryKey } from '../dialect/schema-helpers.js';

export async function up(db: Kysely<any>): Promise<void> {
  await addSerialPrimaryKey(db, db.schema.createTable('report_additions'), 'id')
    .addColumn('report_id', 'text', (col) => col.notNull().references('reports.id').onDelete('cascade'))
    .addColumn('channel', 'text', (col) => col.notNull())
    .addColumn('actor', 'text', (col) => col.notNull())
    .addColumn('content_enc', 'text', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex('report_additions_by_report')
    .on('report_additions')
    .columns(['report_id', 'id'])
    .execute();

  await addSerialPrimaryKey(db, db.schema.createTable('reporter_messages'), 'id')
    .addColumn('report_id', 'text', (col) => col.notNull().references('reports.id').onDelete('cascade'))
    .addColumn('author', 'text', (col) => col.notNull())
    .addColumn('body_enc', 'text', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex('reporter_messages_by_report')
    .on('reporter_messages')
    .columns(['report_id', 'id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('reporter_messages').execute();
  await db.schema.dropTable('report_additions').execute();
}
