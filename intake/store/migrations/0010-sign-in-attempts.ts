import type { Kysely } from 'kysely';

/**
 * Failed sign-ins are counted per username, whether or not an account has
 * that name, so a lock says nothing about which names exist. The name is
 * kept only as a keyed hash. The old per-account counters
 * (staff_users.failed_logins, locked_until) are no longer read: a lock set
 * just before the upgrade ends early, which is all it costs.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('sign_in_attempts')
    .addColumn('name_hash', 'text', (col) => col.primaryKey())
    .addColumn('failures', 'integer', (col) => col.notNull())
    .addColumn('locked_until', 'text')
    .addColumn('last_failed_at', 'text', (col) => col.notNull())
    .execute();
  // Names nobody has tried for a day are forgotten in bulk.
  await db.schema
    .createIndex('sign_in_attempts_by_last_failure')
    .on('sign_in_attempts')
    .column('last_failed_at')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('sign_in_attempts').execute();
}
