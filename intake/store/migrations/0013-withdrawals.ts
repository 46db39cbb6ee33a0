import type { Kysely } from 'kysely';

/**
 * A reporter may withdraw a stored report: it is kept with the hotline (its
 * retention is unchanged) and marked withdrawn, so staff see it and agencies
 * are told. A reporter's addition carries the key of the message it came
 * from, so a redelivered message adds nothing twice.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('reports').addColumn('withdrawn_at', 'text').execute();
  await db.schema.alterTable('reports').addColumn('withdrawn_channel', 'text').execute();
  await db.schema.alterTable('reports').addColumn('withdrawal_key', 'text').execute();
  await db.schema.createIndex('reports_by_withdrawn_at').on('reports').column('withdrawn_at').execute();

  await db.schema.alterTable('report_additions').addColumn('idempotency_scope', 'text').execute();
  await db.schema.alterTable('report_additions').addColumn('idempotency_key', 'text').execute();
  // Both databases let many rows leave the key empty (NULLs are distinct).
  await db.schema
    .createIndex('report_additions_by_idempotency_key')
    .on('report_additions')
    .columns(['idempotency_scope', 'idempotency_key'])
    .unique()
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('report_additions_by_idempotency_key').execute();
  await db.schema.alterTable('report_additions').dropColumn('idempotency_key').execute();
  await db.schema.alterTable('report_additions').dropColumn('idempotency_scope').execute();
  await db.schema.dropIndex('reports_by_withdrawn_at').execute();
  await db.schema.alterTable('reports').dropColumn('withdrawal_key').execute();
  await db.schema.alterTable('reports').dropColumn('withdrawn_channel').execute();
  await db.schema.alterTable('reports').dropColumn('withdrawn_at').execute();
}
