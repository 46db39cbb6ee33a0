import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryRateLimitStore } from '../../intake/limits/memory-rate-limit-store.js';
import { PostgresRateLimitStore } from '../../intake/limits/postgres-rate-limit-store.js';
import type { RateLimitStore } from '../../intake/limits/rate-limit-store.js';
import { RedisRateLimitStore } from '../../intake/limits/redis-rate-limit-store.js';
import type { Database } from '../../intake/store/database.js';
import { openDatabase } from '../../intake/store/open-database.js';
import { openRedis, postgresClock, redisClock, untilClockReads, type StoreClock } from '../support/store-clocks.js';
import { createTestDatabase, type TestDatabase } from '../support/test-databases.js';

const postgresUrl = process.env.DATABASE_URL;
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const windowMs = 60_000;
/** A window short enough to watch slide on the store's own clock, long enough for a loaded machine's queries. */
const shortWindowMs = 900;

/** Two stores over one shared counter (two instances' connections), opened by a kind's own means. */
interface StorePair {
  first: RateLimitStore;
  second: RateLimitStore;
  /** The clock the stores count by. */
  clock: StoreClock;
  close(): Promise<void>;
}

const kinds: Array<{ kind: string; open: () => Promise<StorePair> }> = [
  ...(postgresUrl
    ? [
        {
          kind: 'postgres',
          open: async (): Promise<StorePair> => {
            const database: TestDatabase = await createTestDatabase('postgres');
            // A second pool on the same schema: another instance's connections.
            const other: Kysely<Database> = openDatabase(database.location);
            return {
              first: new PostgresRateLimitStore(database.db),
              second: new PostgresRateLimitStore(other),
              clock: postgresClock(database.db),
              close: async () => {
                await other.destroy();
                await database.dispose();
              },
            };
          },
        },
      ]
    : []),
  {
    kind: 'redis',
    open: async (): Promise<StorePair> => {
      const failures: unknown[] = [];
      const keyPrefix = `reportline-test:${randomBytes(6).toString('hex')}:`;
      const first = new RedisRateLimitStore({ url: redisUrl, keyPrefix, onError: (error) => failures.push(error) });
      const second = new RedisRateLimitStore({ url: redisUrl, keyPrefix, onError: (error) => failures.push(error) });
      const client = await openRedis(redisUrl);
      return {
        first,
        second,
        clock: redisClock(client),
        close: async () => {
          await first.close();
          await second.close();
          await client.close();
          expect(failures).toEqual([]);
        },
      };
    },
  },
];

describe.each(kinds)('the $kind rate limit store', ({ open }) => {
  let stores: StorePair;
  beforeAll(async () => {
    stores = await open();
  });
  afterAll(async () => {
    await stores.close();
  });

  it('holds one limit across two instances: what one admitted, the other counts', async () => {
    const rule = { limit: 3, windowMs };
    const answers = [];
    for (const store of [stores.first, stores.second, stores.first, stores.second, stores.first])
      answers.push(await store.take('across', rule));
    expect(answers).toEqual([true, true, true, false, false]);
    // Another key has its own count.
    expect(await stores.second.take('someone-else', rule)).toBe(true);
  });

  it('slides its window: attempts just before a boundary still count just after it, and fade as it passes', async () => {
    const rule = { limit: 3, windowMs: shortWindowMs };
    const alternately = (i: number) => (i % 2 ? stores.second : stores.first);
    // A window of the store's clock, from its start.
    const start = Math.ceil((await stores.clock()) / shortWindowMs) * shortWindowMs;
    await untilClockReads(stores.clock, start + shortWindowMs - 250);
    const before = [];
    for (let i = 0; i < 4; i += 1) before.push(await alternately(i).take('sliding', rule));
    expect(before).toEqual([true, true, true, false]);
    // Just past the boundary (all but the whole of the three still weighs): a fixed window would let three more in.
    await untilClockReads(stores.clock, start + shortWindowMs + 40);
    expect(await stores.first.take('sliding', rule)).toBe(false);
    // Two thirds of the way on, under a third of the three still weighs: two more, not three.
    await untilClockReads(stores.clock, start + shortWindowMs + (2 * shortWindowMs) / 3 + 20);
    const later = [];
    for (let i = 0; i < 4; i += 1) later.push(await alternately(i).take('sliding', rule));
    expect(later).toEqual([true, true, false, false]);
    // Once both windows are past, the key starts again.
    await untilClockReads(stores.clock, start + 3 * shortWindowMs + 1);
    expect(await Promise.all([0, 1, 2].map(() => stores.second.take('sliding', rule)))).toEqual([true, true, true]);
  });

  it('admits exactly the limit of 100 attempts sent at once, half to each instance', async () => {
    const rule = { limit: 7, windowMs };
    const answers = await Promise.all(
      Array.from({ length: 100 }, (_, i) => (i % 2 ? stores.second : stores.first).take('parallel', rule)),
    );
    expect(answers.filter(Boolean)).toHaveLength(7);
  });
});

describe('the Redis store after a failover to a replica whose clock is behind', () => {
  it('still refuses a key that used up its limit in a window the new clock has not reached', async () => {
    const keyPrefix = `reportline-test:${randomBytes(6).toString('hex')}:`;
    const failures: unknown[] = [];
    const store = new RedisRateLimitStore({ url: redisUrl, keyPrefix, onError: (error) => failures.push(error) });
    const client = await openRedis(redisUrl);
    try {
      const rule = { limit: 3, windowMs };
      const now = await redisClock(client)();
      // What the old primary, its clock two windows ahead, left: the limit used up in its current window.
      const ahead = (Math.floor(now / windowMs) + 2) * windowMs;
      await client.hSet(`${keyPrefix}failed-over`, { start: String(ahead), hits: '3', previous: '0' });
      await client.pExpire(`${keyPrefix}failed-over`, 4 * windowMs);
      expect(await store.take('failed-over', rule)).toBe(false);
      // A key the old primary never saw is counted as ever.
      expect(await store.take('someone-else', rule)).toBe(true);
    } finally {
      await store.close();
      await client.close();
    }
    expect(failures).toEqual([]);
  });
});

describe('the memory store (one instance on SQLite)', () => {
  it('admits exactly the limit of 100 attempts at once and slides exactly', async () => {
    // The process's clock, which a test steps: one process has no other clock to disagree with.
    let at = Date.parse('2026-12-01T12:00:00Z');
    const store = new MemoryRateLimitStore(() => new Date(at));
    const rule = { limit: 7, windowMs };
    const answers = await Promise.all(Array.from({ length: 100 }, () => store.take('parallel', rule)));
    expect(answers.filter(Boolean)).toHaveLength(7);
    at += windowMs - 1;
    expect(await store.take('parallel', rule)).toBe(false);
    at += 1;
    expect(await store.take('parallel', rule)).toBe(true);
  });
});
