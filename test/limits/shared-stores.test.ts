import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryRateLimitStore } from '../../intake/limits/memory-rate-limit-store.js';
import { PostgresRateLimitStore } from '../../intake/limits/postgres-rate-limit-store.js';
import type { RateLimitStore } from '../../intake/limits/rate-limit-store.js';
import { RedisRateLimitStore } from '../../intake/limits/redis-rate-limit-store.js';
import type { Database } from '../../intake/store/database.js';
import { openDatabase } from '../../intake/store/open-database.js';
import { createTestDatabase, type TestDatabase } from '../support/test-databases.js';

const postgresUrl = process.env.DATABASE_URL;
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const windowMs = 60_000;
/** A window boundary, so a test can stand just before and just after it. */
const boundary = Math.ceil(Date.now() / windowMs) * windowMs;

/** Two stores over one shared counter (two instances' connections), opened by a kind's own means. */
interface StorePair {
  first: RateLimitStore;
  second: RateLimitStore;
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
      return {
        first,
        second,
        close: async () => {
          await first.close();
          await second.close();
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
    const at = boundary + 1_000;
    const answers = [];
    for (const store of [stores.first, stores.second, stores.first, stores.second, stores.first])
      answers.push(await store.take('across', rule, at));
    expect(answers).toEqual([true, true, true, false, false]);
    // Another key has its own count.
    expect(await stores.second.take('someone-else', rule, at)).toBe(true);
  });

  it('slides its window: attempts just before a boundary still count just after it, and fade as it passes', async () => {
    const rule = { limit: 3, windowMs };
    const justBefore = boundary + windowMs - 1_000;
    const before = [];
    for (let i = 0; i < 4; i += 1)
      before.push(await (i % 2 ? stores.second : stores.first).take('sliding', rule, justBefore));
    expect(before).toEqual([true, true, true, false]);
    // A fixed window would start afresh here and let three more in.
    expect(await stores.first.take('sliding', rule, boundary + windowMs + 1_000)).toBe(false);
    // Two thirds of the way on, one third of the three still weighs: two more, not three.
    const twoThirds = boundary + windowMs + (2 * windowMs) / 3 + 1;
    const later = [];
    for (let i = 0; i < 4; i += 1)
      later.push(await (i % 2 ? stores.second : stores.first).take('sliding', rule, twoThirds));
    expect(later).toEqual([true, true, false, false]);
    // Once both windows are past, the key starts again.
    const gone = boundary + 3 * windowMs + 1;
    expect(await Promise.all([0, 1, 2].map(() => stores.second.take('sliding', rule, gone)))).toEqual([
      true,
      true,
      true,
    ]);
  });

  it('admits exactly the limit of 100 attempts sent at once, half to each instance', async () => {
    const rule = { limit: 7, windowMs };
    const at = boundary + 2_000;
    const answers = await Promise.all(
      Array.from({ length: 100 }, (_, i) => (i % 2 ? stores.second : stores.first).take('parallel', rule, at)),
    );
    expect(answers.filter(Boolean)).toHaveLength(7);
  });
});

describe('the memory store (one instance on SQLite)', () => {
  it('admits exactly the limit of 100 attempts at once and slides exactly', async () => {
    const store = new MemoryRateLimitStore();
    const rule = { limit: 7, windowMs };
    const answers = await Promise.all(Array.from({ length: 100 }, () => store.take('parallel', rule, boundary)));
    expect(answers.filter(Boolean)).toHaveLength(7);
    expect(await store.take('parallel', rule, boundary + windowMs - 1)).toBe(false);
    expect(await store.take('parallel', rule, boundary + windowMs)).toBe(true);
  });
});
