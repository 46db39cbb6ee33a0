import type { Kysely } from 'kysely';
import { dropAppendOnly, makeAppendOnly } from '../dialect/schema-helpers.js';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('report_versions')
    .addColumn('report_id', 'text', (col) => col.notNull().references('reports.id'))
    .addColumn('version', 'integer', (col) => col.notNull())
    .addColumn('previous_enc', 'text', (col) => col.notNull())
    .addColumn('changed_fields', 'text', (col) => col.notNull())
    .addColumn('outcome', 'text', (col) => col.notNull())
    .addColumn('actor', 'text', (col) => col.notNull())
    .addColumn('channel', 'text', (col) => col.notNull())
    .addColumn('idempotency_scope', 'text')
    .addColumn('idempotency_key', 'text')
    .addColumn('request_hash', 'text')
    .addColumn('created_at', 'text', (col) => col.notNull())
    // Two amendments racing for the same version: the database lets exactly one win.
    .addPrimaryKeyConstraint('report_versions_pk', ['report_id', 'version'])
    .execute();
  // Both databases let many rows leave the key empty (NULLs are distinct).
  await db.schema
    .createIndex('report_versions_by_idempotency_key')
    .on('report_versions')
    .columns(['idempotency_scope', 'idempotency_key'])
    .unique()
    .execute();
  // A report's history is its own record: no bug may rewrite it.
  await makeAppendOnly(db, 'report_versions');

  await db.schema
    .createTable('delivery_events')
    .addColumn('delivery_id', 'text', (col) => col.primaryKey().references('deliveries.id').onDelete('cascade'))
    .addColumn('event_type', 'text', (col) => col.notNull())
    .addColumn('report_version', 'integer', (col) => col.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('delivery_events').execute();
  await dropAppendOnly(db, 'report_versions');
  await db.schema.dropTable('report_versions').execute();
}
