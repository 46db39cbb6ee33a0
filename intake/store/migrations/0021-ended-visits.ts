import type { Kysely } from 'kysely';

/**
 * Browser visits ended by the quick exit whose cookie is a signed value with
 * no server state of its own (the opened status page): a copy of the cookie
 * made before the exit is refused until it would have expired anyway. A row
 * is a keyed hash of the visit, never the visit itself, and is swept by
 * retention once past its expiry.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('ended_visits')
    .addColumn('visit_hash', 'text', (col) => col.primaryKey())
    .addColumn('expires_at', 'text', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('ended_visits_by_expiry').on('ended_visits').column('expires_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('ended_visits').execute();
}
