import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { purgeExpiredRecords } from '../../intake/store/retention.js';
import { openDatabase } from '../../intake/store/open-database.js';
import { createTestDatabase, type TestDatabase } from '../support/test-databases.js';

const policy = { abandonedConversationDays: 30, handledWebhookDays: 7 };

describe.skipIf(!process.env.DATABASE_URL)('the retention clean-up with several instances on PostgreSQL', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('postgres');
  });
  afterAll(async () => database.dispose());

  it('runs in one instance at a time: the others pass, and every expired record is deleted once', async () => {
    const old = new Date(Date.now() - 40 * 24 * 60 * 60_000).toISOString();
    for (let i = 0; i < 200; i += 1)
      await database.db
        .insertInto('inbound_events')
        .values({
          channel: 'line',
          event_key: `old-${i}`,
          payload_enc: 'x',
          received_at: old,
          processed_at: old,
          attempts: 0,
          last_error: null,
          subject: null,
          claimed_until: null,
        })
        .execute();
    const others = [openDatabase(database.location), openDatabase(database.location)];
    // Released in `finally` too: a failed expectation would leave the first transaction open, and the file waiting.
    let release: () => void = () => {};
    try {
      // One instance is in the middle of its purge (its transaction holds the lock) when the others start theirs.
      // They start only once it holds it: started together, a busy machine could let one of them take the lock
      // first (the first's BEGIN slower than their new connections), and that one would purge, not pass.
      const holding = new Promise<void>((resolve) => (release = resolve));
      let locked: () => void = () => {};
      const holdsLock = new Promise<void>((resolve) => (locked = resolve));
      const first = database.db.transaction().execute(async (trx) => {
        await sql`select pg_advisory_xact_lock(
          hashtextextended('reportline:retention:' || current_database() || ':' || coalesce(current_schema(), ''), 0))`.execute(
          trx,
        );
        locked();
        await holding;
      });
      await Promise.race([holdsLock, first]);
      const meanwhile = await Promise.all(others.map((db) => purgeExpiredRecords(db, policy, new Date())));
      expect(meanwhile.map((counts) => counts.skipped)).toEqual([true, true]);
      release();
      await first;
      const results = await Promise.all(
        [database.db, ...others].map((db) => purgeExpiredRecords(db, policy, new Date())),
      );
      const ran = results.filter((counts) => !counts.skipped);
      expect(ran.length).toBeGreaterThanOrEqual(1);
      expect(results.reduce((sum, counts) => sum + counts.inboundEvents, 0)).toBe(200);
      const left = await database.db
        .selectFrom('inbound_events')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow();
      expect(Number(left.n)).toBe(0);
    } finally {
      release();
      for (const db of others) await db.destroy();
    }
  });
});
