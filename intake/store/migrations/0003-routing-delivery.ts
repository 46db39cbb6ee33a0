import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('report_routing')
    .addColumn('report_id', 'text', (col) => col.primaryKey().references('reports.id').onDelete('cascade'))
    .addColumn('decision_enc', 'text', (col) => col.notNull())
    .addColumn('withheld', 'integer', (col) => col.notNull())
    .addColumn('planned_at', 'text', (col) => col.notNull())
    .addColumn('planned_by', 'text', (col) => col.notNull())
    .execute();

  await db.schema
    .createTable('report_agencies')
    .addColumn('report_id', 'text', (col) => col.notNull().references('reports.id').onDelete('cascade'))
    .addColumn('agency_id', 'text', (col) => col.notNull())
    .addColumn('role', 'text', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('report_agencies_pk', ['report_id', 'agency_id'])
    .execute();
  // An agency's inbox and pull API page through its own cases, newest first.
  await db.schema
    .createIndex('report_agencies_by_agency')
    .on('report_agencies')
    .columns(['agency_id', 'created_at', 'report_id'])
    .execute();

  await db.schema
    .createTable('deliveries')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('report_id', 'text', (col) => col.notNull().references('reports.id').onDelete('cascade'))
    .addColumn('agency_id', 'text', (col) => col.notNull())
    .addColumn('method', 'text', (col) => col.notNull())
    .addColumn('status', 'text', (col) => col.notNull())
    .addColumn('urgent', 'integer', (col) => col.notNull())
    .addColumn('attempts', 'integer', (col) => col.notNull())
    .addColumn('next_attempt_at', 'text', (col) => col.notNull())
    .addColumn('lease_until', 'text')
    .addColumn('last_error', 'text')
    .addColumn('delivered_at', 'text')
    .addColumn('created_at', 'text', (col) => col.notNull())
    .execute();
  // The dispatcher takes due work urgent first, then oldest due.
  await db.schema
    .createIndex('deliveries_due')
    .on('deliveries')
    .columns(['status', 'urgent', 'next_attempt_at'])
    .execute();
  await db.schema.createIndex('deliveries_by_report').on('deliveries').column('report_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('deliveries').execute();
  await db.schema.dropTable('report_agencies').execute();
  await db.schema.dropTable('report_routing').execute();
}
