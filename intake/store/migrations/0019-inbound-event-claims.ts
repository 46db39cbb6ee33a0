import type { Kysely } from 'kysely';

/**
 * Several instances work off one journal of webhook events: each event names
 * whose it is (`subject`, a blind index of the person or the group chat, so
 * the journal holds no platform id in clear) and which instance holds it until
 * when (`claimed_until`). Only the oldest open event of a subject can be
 * claimed, so one person's events are handled one at a time, in the order they
 * came, whichever instance took the webhook.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('inbound_events').addColumn('subject', 'text').execute();
  await db.schema.alterTable('inbound_events').addColumn('claimed_until', 'text').execute();
  // The claim asks "is there an older open event of this subject?" for every candidate: answered from here.
  await db.schema
    .createIndex('inbound_events_open_by_subject')
    .on('inbound_events')
    .columns(['channel', 'subject', 'processed_at', 'id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('inbound_events_open_by_subject').execute();
  await db.schema.alterTable('inbound_events').dropColumn('claimed_until').execute();
  await db.schema.alterTable('inbound_events').dropColumn('subject').execute();
}
