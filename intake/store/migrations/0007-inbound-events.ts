import type { Kysely } from 'kysely';
import { addSerialPrimaryKey } from '../dialect/schema-helpers.js';

export async function up(db: Kysely<any>): Promise<void> {
  await addSerialPrimaryKey(db, db.schema.createTable('inbound_events'), 'id')
    .addColumn('channel', 'text', (col) => col.notNull())
    .addColumn('event_key', 'text', (col) => col.notNull())
    .addColumn('payload_enc', 'text', (col) => col.notNull())
    .addColumn('received_at', 'text', (col) => col.notNull())
    .addColumn('processed_at', 'text')
    .addColumn('attempts', 'integer', (col) => col.notNull())
    .addColumn('last_error', 'text')
    .addUniqueConstraint('inbound_events_key', ['channel', 'event_key'])
    .execute();
  await db.schema.createIndex('inbound_events_pending').on('inbound_events').columns(['processed_at', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('inbound_events').execute();
}
