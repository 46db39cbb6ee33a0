import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '../../intake/clock.js';
import { openRateLimits, type RateLimitStoreChoice } from '../../intake/limits/open-rate-limits.js';
import type { RateLimits } from '../../intake/limits/rate-limits.js';
import type { Database } from '../../intake/store/database.js';
import { openDatabase } from '../../intake/store/open-database.js';
import { testCipher } from '../support/fixtures.js';
import { createTestDatabase, type TestDatabase } from '../support/test-databases.js';

/**
 * Added after the fix for issue 17 ("several instances"): instances on several machines read clocks that are
 * seconds apart. When the shared stores placed an attempt in a window by the calling process's clock, the
 * instance ahead was already counting in the next window while the other still counted in the old one, so a
 * guesser who spread tries over both got the limit from each. The stores now count on their own clock (the
 * database's, Redis's), and the limit is the same however far apart the instances' clocks are.
 */
const postgresUrl = process.env.DATABASE_URL;
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const windowMs = 4_000;
/** How far the second instance's clock runs ahead of the first's. */
const aheadMs = 2_000;
const rule = { limit: 5, windowMs };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Waits until the slower clock stands late in a window and the faster one early in the next: the moment when
 * counting by the instances' own clocks puts the two in different windows.
 */
async function untilTheClocksStraddleAnEdge(): Promise<void> {
  const margin = 250;
  for (;;) {
    const into = Date.now() % windowMs;
    if (into >= windowMs - aheadMs + margin && into <= windowMs - margin - 500) return;
    await sleep(20);
  }
}

interface Setup {
  store: string;
  open(now: Clock): Promise<RateLimits>;
  close(): Promise<void>;
}

const cipher = testCipher();
const failures: unknown[] = [];
const onError = (error: unknown) => failures.push(error);

function setupFor(store: string, choice: RateLimitStoreChoice): Setup {
  let database: TestDatabase | undefined;
  const pools: Array<Kysely<Database>> = [];
  return {
    store,
    open: async (now) => {
      database ??= await createTestDatabase(choice.kind === 'redis' ? 'sqlite' : 'postgres');
      // Each instance has its own pool on the one database, as instances on several machines do.
      const db = openDatabase(database.location);
      pools.push(db);
      return openRateLimits({ choice, db, cipher, now, onError });
    },
    close: async () => {
      for (const pool of pools) await pool.destroy();
      await database?.dispose();
    },
  };
}

const setups: Setup[] = [
  ...(postgresUrl ? [setupFor('PostgreSQL', { kind: 'postgres' })] : []),
  setupFor('Redis', { kind: 'redis', url: redisUrl }),
];

describe.each(setups)('a limit counted in $store by two instances whose clocks disagree', (setup) => {
  let instances: RateLimits[];
  beforeAll(async () => {
    const behind: Clock = () => new Date();
    const ahead: Clock = () => new Date(Date.now() + aheadMs);
    instances = [await setup.open(behind), await setup.open(ahead)];
  });
  afterAll(async () => {
    for (const each of instances ?? []) await each.close();
    await setup.close();
    expect(failures).toEqual([]);
  });

  it('admits a guesser no more than the limit across a window edge, whichever instance each try reaches', async () => {
    const [behind, ahead] = instances.map((each) => each.limiter('test.skewed-guesses', rule, 'refuse'));
    await untilTheClocksStraddleAnEdge();
    const answers: boolean[] = [];
    for (let i = 0; i < 4 * rule.limit; i += 1) answers.push(await (i % 2 ? behind! : ahead!).allow('one guesser'));
    expect(answers.filter(Boolean)).toHaveLength(rule.limit);
  });
});
