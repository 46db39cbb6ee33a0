import { sql, type Kysely } from 'kysely';
import { dialectKindOf } from '../dialect/dialect-kind.js';

/**
 * Send pacing shared by every instance on one PostgreSQL (intake/chat/postgres-send-slots.ts): a platform
 * channel's last sends, one row per slot of its per-second allowance. Unlogged on PostgreSQL: a send's time is
 * no record worth a WAL flush, and after a crash the table is empty, which only means no send waits. On
 * SQLite one instance paces in memory and the table stays empty.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('send_pace_slots')
    .$call((table) => (dialectKindOf(db) === 'postgres' ? table.modifyFront(sql`unlogged`) : table))
    .addColumn('channel', 'text', (col) => col.notNull())
    .addColumn('slot', 'integer', (col) => col.notNull())
    .addColumn('sent_at_ms', 'bigint', (col) => col.notNull())
    .addPrimaryKeyConstraint('send_pace_slots_pkey', ['channel', 'slot'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('send_pace_slots').execute();
}
