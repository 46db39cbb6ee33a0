import type { Kysely } from 'kysely';

/**
 * A platform that numbers its updates (Telegram's update_id) gives each journal event its place in that order
 * (`platform_order`). Two updates of one chat that reach two instances at the same moment may be recorded in
 * either order; the claim takes a subject's events by this number when there is one (by the journal's id
 * otherwise, as for LINE, whose webhook sends one person's events in one call, in order).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('inbound_events').addColumn('platform_order', 'bigint').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('inbound_events').dropColumn('platform_order').execute();
}
