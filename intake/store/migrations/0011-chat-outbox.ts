import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // The last sequence number given to a message of this chat: taking the next one updates the
  // conversation's row, so two writers of one chat (a turn and a staff reply) queue one after the other.
  await db.schema
    .alterTable('conversations')
    .addColumn('outbox_seq', 'integer', (col) => col.notNull().defaultTo(0))
    .execute();

  await db.schema
    .createTable('chat_outbox')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('conversation_id', 'text', (col) => col.notNull().references('conversations.id').onDelete('cascade'))
    .addColumn('seq', 'integer', (col) => col.notNull())
    .addColumn('channel', 'text', (col) => col.notNull())
    .addColumn('message_enc', 'text', (col) => col.notNull())
    .addColumn('reporter_message_id', 'integer', (col) => col.references('reporter_messages.id').onDelete('set null'))
    .addColumn('status', 'text', (col) => col.notNull())
    .addColumn('attempts', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'text', (col) => col.notNull())
    .addColumn('lease_until', 'text')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('sent_at', 'text')
    .addUniqueConstraint('chat_outbox_conversation_seq', ['conversation_id', 'seq'])
    .execute();
  // The worker looks for the due head of each chat: pending rows by time, then the chat's earlier ones.
  await db.schema.createIndex('chat_outbox_due').on('chat_outbox').columns(['status', 'next_attempt_at']).execute();
  await db.schema.createIndex('chat_outbox_by_message').on('chat_outbox').column('reporter_message_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('chat_outbox').execute();
  await db.schema.alterTable('conversations').dropColumn('outbox_seq').execute();
}
