import type { Kysely } from 'kysely';

/**
 * Rate limits shared by every instance on one database (PostgreSQL; on
 * SQLite, one instance counts in memory and the table stays empty). A row is
 * one limit's key in one window; the key is a keyed hash, so the table is no
 * list of who tried what.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('rate_limit_counters')
    .addColumn('bucket', 'text', (col) => col.notNull())
    .addColumn('window_start', 'bigint', (col) => col.notNull())
    .addColumn('hits', 'integer', (col) => col.notNull())
    .addColumn('expires_at', 'bigint', (col) => col.notNull())
    .addPrimaryKeyConstraint('rate_limit_counters_pkey', ['bucket', 'window_start'])
    .execute();
  // Counters past any window are swept in bulk.
  await db.schema.createIndex('rate_limit_counters_by_expiry').on('rate_limit_counters').column('expires_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('rate_limit_counters').execute();
}
