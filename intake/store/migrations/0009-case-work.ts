import { sql, type Kysely } from 'kysely';
import { addSerialPrimaryKey } from '../dialect/schema-helpers.js';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('reports').addColumn('assigned_to', 'text').execute();
  await db.schema.alterTable('reports').addColumn('duplicate_of', 'text').execute();
  // 1 while a case is still being worked (not closed, not a duplicate). The default queue is then
  // one range of one index, already in queue order: its first page costs the same at any size.
  await db.schema
    .alterTable('reports')
    .addColumn('in_queue', 'integer', (col) => col.notNull().defaultTo(1))
    .execute();
  await db.updateTable('reports').set({ in_queue: 0 }).where('status', 'in', ['closed', 'duplicate']).execute();
  // `urgent desc`: the queue reads urgent first, then oldest; an index in that very order is read
  // from its start, where one in another order would have every open case sorted first.
  await db.schema
    .createIndex('reports_open_queue')
    .on('reports')
    .expression(sql`in_queue, urgent desc, created_at, id`)
    .execute();
  await db.schema
    .createIndex('reports_queue_by_status')
    .on('reports')
    .expression(sql`status, urgent desc, created_at, id`)
    .execute();
  await db.schema
    .createIndex('reports_queue_by_assignee')
    .on('reports')
    .expression(sql`assigned_to, in_queue, urgent desc, created_at, id`)
    .execute();
  await db.schema
    .createIndex('reports_all_queue')
    .on('reports')
    .expression(sql`urgent desc, created_at, id`)
    .execute();

  // How a message to the reporter went out through their chat, besides their status page.
  await db.schema.alterTable('reporter_messages').addColumn('chat_status', 'text').execute();
  await db.schema.alterTable('reporter_messages').addColumn('chat_error', 'text').execute();

  await addSerialPrimaryKey(db, db.schema.createTable('case_notes'), 'id')
    .addColumn('report_id', 'text', (col) => col.notNull().references('reports.id').onDelete('cascade'))
    .addColumn('author', 'text', (col) => col.notNull())
    .addColumn('body_enc', 'text', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('case_notes_by_report').on('case_notes').columns(['report_id', 'id']).execute();

  await db.schema
    .createTable('report_link_overrides')
    .addColumn('report_a', 'text', (col) => col.notNull().references('reports.id').onDelete('cascade'))
    .addColumn('report_b', 'text', (col) => col.notNull().references('reports.id').onDelete('cascade'))
    .addColumn('state', 'text', (col) => col.notNull())
    .addColumn('actor', 'text', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('report_link_overrides_pk', ['report_a', 'report_b'])
    .execute();
  await db.schema.createIndex('report_link_overrides_by_b').on('report_link_overrides').column('report_b').execute();

  await db.schema
    .createTable('agency_case_states')
    .addColumn('report_id', 'text', (col) => col.notNull().references('reports.id').onDelete('cascade'))
    .addColumn('agency_id', 'text', (col) => col.notNull())
    .addColumn('decision', 'text')
    .addColumn('reason_enc', 'text')
    .addColumn('case_number', 'text')
    .addColumn('updated_at', 'text', (col) => col.notNull())
    .addColumn('updated_by', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('agency_case_states_pk', ['report_id', 'agency_id'])
    .execute();

  await addSerialPrimaryKey(db, db.schema.createTable('agency_actions'), 'id')
    .addColumn('report_id', 'text', (col) => col.notNull().references('reports.id').onDelete('cascade'))
    .addColumn('agency_id', 'text', (col) => col.notNull())
    .addColumn('action', 'text', (col) => col.notNull())
    .addColumn('note_enc', 'text')
    .addColumn('actor', 'text', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('agency_actions_by_report').on('agency_actions').columns(['report_id', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('agency_actions').execute();
  await db.schema.dropTable('agency_case_states').execute();
  await db.schema.dropTable('report_link_overrides').execute();
  await db.schema.dropTable('case_notes').execute();
  await db.schema.dropIndex('reports_all_queue').execute();
  await db.schema.dropIndex('reports_queue_by_assignee').execute();
  await db.schema.dropIndex('reports_queue_by_status').execute();
  await db.schema.dropIndex('reports_open_queue').execute();
  await db.schema.alterTable('reporter_messages').dropColumn('chat_error').execute();
  await db.schema.alterTable('reporter_messages').dropColumn('chat_status').execute();
  await db.schema.alterTable('reports').dropColumn('in_queue').execute();
  await db.schema.alterTable('reports').dropColumn('duplicate_of').execute();
  await db.schema.alterTable('reports').dropColumn('assigned_to').execute();
}
