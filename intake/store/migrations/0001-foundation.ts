import type { Kysely } from 'kysely';
import { addSerialPrimaryKey, dropAppendOnly, makeAppendOnly } from '../dialect/schema-helpers.js';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('reports')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('reference', 'text', (col) => col.notNull().unique())
    .addColumn('receipt_hash', 'text', (col) => col.notNull())
    .addColumn('channel', 'text', (col) => col.notNull())
    .addColumn('language', 'text', (col) => col.notNull())
    .addColumn('reporter_role', 'text')
    .addColumn('status', 'text', (col) => col.notNull())
    .addColumn('category', 'text')
    .addColumn('urgent', 'integer', (col) => col.notNull())
    .addColumn('consent_share', 'integer', (col) => col.notNull())
    .addColumn('consent_contact', 'integer', (col) => col.notNull())
    .addColumn('current_country', 'text')
    .addColumn('nationality', 'text')
    .addColumn('residence_country', 'text')
    .addColumn('content_enc', 'text', (col) => col.notNull())
    .addColumn('indicators_enc', 'text', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('updated_at', 'text', (col) => col.notNull())
    .execute();
  // The staff queue reads urgent first, then oldest.
  await db.schema.createIndex('reports_queue').on('reports').columns(['urgent', 'created_at']).execute();

  await addSerialPrimaryKey(db, db.schema.createTable('report_indicators'), 'id')
    .addColumn('report_id', 'text', (col) => col.notNull().references('reports.id').onDelete('cascade'))
    .addColumn('kind', 'text', (col) => col.notNull())
    .addColumn('value_hash', 'text', (col) => col.notNull())
    .addColumn('validity', 'text', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .execute();
  // Linking looks up every report carrying a value: an index, never a scan.
  // A report's own indicators are read from the report row, so this is the
  // only index the table needs.
  await db.schema
    .createIndex('report_indicators_by_value')
    .on('report_indicators')
    .columns(['value_hash', 'report_id'])
    .execute();

  await addSerialPrimaryKey(db, db.schema.createTable('audit_events'), 'seq')
    .addColumn('occurred_at', 'text', (col) => col.notNull())
    .addColumn('actor', 'text', (col) => col.notNull())
    .addColumn('action', 'text', (col) => col.notNull())
    .addColumn('report_id', 'text', (col) => col.references('reports.id'))
    .addColumn('detail', 'text', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('audit_events_by_report').on('audit_events').columns(['report_id', 'seq']).execute();
  await makeAppendOnly(db, 'audit_events');

  await db.schema
    .createTable('api_tokens')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('token_hash', 'text', (col) => col.notNull().unique())
    .addColumn('role', 'text', (col) => col.notNull())
    .addColumn('agency_id', 'text')
    .addColumn('label', 'text')
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('revoked_at', 'text')
    .execute();

  await db.schema
    .createTable('idempotency_keys')
    .addColumn('scope', 'text', (col) => col.notNull())
    .addColumn('key', 'text', (col) => col.notNull())
    .addColumn('request_hash', 'text', (col) => col.notNull())
    .addColumn('report_id', 'text', (col) => col.notNull().references('reports.id'))
    .addColumn('result_enc', 'text', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('idempotency_keys_pk', ['scope', 'key'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('idempotency_keys').execute();
  await db.schema.dropTable('api_tokens').execute();
  await dropAppendOnly(db, 'audit_events');
  await db.schema.dropTable('audit_events').execute();
  await db.schema.dropTable('report_indicators').execute();
  await db.schema.dropTable('reports').execute();
}
