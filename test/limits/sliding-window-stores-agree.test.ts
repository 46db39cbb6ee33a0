import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresRateLimitStore } from '../../intake/limits/postgres-rate-limit-store.js';
import type { RateLimitRule, RateLimitStore } from '../../intake/limits/rate-limit-store.js';
import { RedisRateLimitStore } from '../../intake/limits/redis-rate-limit-store.js';
import { windowPosition } from '../../intake/limits/sliding-window.js';
import type { Database } from '../../intake/store/database.js';
import { openDatabase } from '../../intake/store/open-database.js';
import { createTestDatabase, type TestDatabase } from '../support/test-databases.js';

/**
 * The PostgreSQL store works the window's room out in SQL, the Redis store in
 * JavaScript (windowPosition's maxHitsInCurrent): a guesser must get the same
 * answers from either, attempt for attempt, at every point of a window,
 * including just at and around its edges where the previous window's weight
 * is all but 1 or all but 0 and a rounding difference would let one more in.
 */
const postgresUrl = process.env.DATABASE_URL;
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A small seeded generator, so a failure names a sequence that can be run again. */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The answers JavaScript's own arithmetic gives: two counters per key, as both shared stores keep. */
function modelAnswers(rule: RateLimitRule, times: number[]): boolean[] {
  const hits = new Map<number, number>();
  return times.map((at) => {
    const window = windowPosition(rule, at);
    const room = window.maxHitsInCurrent(hits.get(window.previousStart) ?? 0);
    const current = hits.get(window.currentStart) ?? 0;
    if (room < 1 || current >= room) return false;
    hits.set(window.currentStart, current + 1);
    return true;
  });
}

/** Attempt times that keep coming back to a window's edges and to thirds and sevenths of it. */
function attemptTimes(random: () => number, rule: RateLimitRule, start: number, count: number): number[] {
  const times: number[] = [];
  let at = start;
  for (let i = 0; i < count; i += 1) {
    const pick = random();
    const windowStart = Math.floor(at / rule.windowMs) * rule.windowMs;
    if (pick < 0.25)
      at += Math.floor(random() * 4); // bursts at (almost) one moment
    else if (pick < 0.45) {
      // Just before, at or just after the next edge.
      at = windowStart + rule.windowMs + Math.floor(random() * 5) - 2;
    } else if (pick < 0.65) {
      const parts = [3, 7, 9, 11][Math.floor(random() * 4)]!;
      const edge = windowStart + rule.windowMs;
      const next = windowStart + Math.ceil(((at - windowStart + 1) / rule.windowMs) * parts) * (rule.windowMs / parts);
      at = Math.round(next <= at ? edge : next) + Math.floor(random() * 3) - 1;
    } else at += Math.floor(random() * rule.windowMs * 0.4);
    at = Math.max(at, times.at(-1) ?? start);
    times.push(at);
  }
  return times;
}

const rules: RateLimitRule[] = [
  { limit: 1, windowMs: 60_000 },
  { limit: 3, windowMs: 60_000 },
  { limit: 7, windowMs: 90_000 },
  { limit: 10, windowMs: 3_600_000 },
  { limit: 12, windowMs: 86_400_000 },
];

describe.skipIf(!postgresUrl)('the PostgreSQL and Redis rate limit stores', () => {
  let database: TestDatabase;
  let other: Kysely<Database>;
  let postgres: RateLimitStore[];
  let redis: RedisRateLimitStore[];
  const failures: unknown[] = [];

  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    other = openDatabase(database.location);
    postgres = [new PostgresRateLimitStore(database.db), new PostgresRateLimitStore(other)];
    const keyPrefix = `reportline-test:${randomBytes(6).toString('hex')}:`;
    redis = [0, 1].map(
      () => new RedisRateLimitStore({ url: redisUrl, keyPrefix, onError: (error) => failures.push(error) }),
    );
  });
  afterAll(async () => {
    for (const store of redis ?? []) await store.close();
    await other?.destroy();
    await database?.dispose();
    expect(failures).toEqual([]);
  });

  it.each(rules)(
    'admit exactly what the sliding window allows, attempt for attempt ($limit per $windowMs ms)',
    async (rule) => {
      const seed = rule.limit * 7919 + rule.windowMs;
      const random = generator(seed);
      // Real times (Redis forgets a counter keepForMs after its last attempt, by its own clock).
      const times = attemptTimes(random, rule, Date.now(), 160);
      const expected = modelAnswers(rule, times);
      const bucket = `agree-${seed}`;
      const fromPostgres: boolean[] = [];
      const fromRedis: boolean[] = [];
      for (const [i, at] of times.entries()) {
        const instance = random() < 0.5 ? 0 : 1;
        fromPostgres.push(await postgres[instance]!.take(bucket, rule, at));
        fromRedis.push(await redis[instance]!.take(bucket, rule, at));
        if (fromPostgres[i] !== expected[i] || fromRedis[i] !== expected[i])
          throw new Error(
            `seed ${seed}, attempt ${i} at ${at} (${(at % rule.windowMs) / rule.windowMs} into its window): ` +
              `expected ${expected[i]}, PostgreSQL said ${fromPostgres[i]}, Redis ${fromRedis[i]}`,
          );
      }
      // The sequence must have tried the limit: some refused, some admitted, on both sides of an edge.
      expect(expected.filter(Boolean).length).toBeGreaterThan(rule.limit);
      expect(expected.some((admitted) => !admitted)).toBe(true);
      expect(fromPostgres).toEqual(expected);
      expect(fromRedis).toEqual(expected);
    },
  );

  it('agree where limit − previous × weight lands on a whole number, which double arithmetic misses by a hair', async () => {
    // Random times seldom stand exactly a third of the way into a window after a window of nine: these do. Each
    // case fills the previous window, then tries one more than the limit at the offset; 10 − 9 × (2/3) is
    // 3.9999999999999996 in doubles, and only the epsilon both stores add lets the fourth attempt in.
    const windowMs = 60_000;
    const start = Math.ceil(Date.now() / windowMs) * windowMs;
    const cases: Array<{ limit: number; previous: number; offset: number }> = [];
    for (let limit = 1; limit <= 12; limit += 1)
      for (let previous = 1; previous <= limit; previous += 1)
        for (const parts of [3, 6, 7, 9, 10, 11, 12])
          for (let k = 1; k < parts; k += 1) {
            const offset = Math.round((windowMs * k) / parts);
            const room =
              limit - previous * windowPosition({ limit, windowMs }, start + windowMs + offset).previousWeight;
            const hair = Math.abs(room - Math.round(room));
            if (
              hair > 0 &&
              hair < 1e-6 &&
              !cases.some((c) => c.limit === limit && c.previous === previous && c.offset === offset)
            )
              cases.push({ limit, previous, offset });
          }
    expect(cases).toContainEqual({ limit: 10, previous: 9, offset: 20_000 });
    for (const { limit, previous, offset } of cases) {
      const rule = { limit, windowMs };
      const at = start + windowMs + offset;
      const times = [
        ...Array.from({ length: previous }, () => start + 1),
        ...Array.from({ length: limit + 1 }, () => at),
      ];
      const expected = modelAnswers(rule, times);
      for (const [name, stores] of [
        ['PostgreSQL', postgres],
        ['Redis', redis],
      ] as const) {
        const bucket = `hair-${limit}-${previous}-${offset}`;
        const answers: boolean[] = [];
        for (const [i, time] of times.entries()) answers.push(await stores[i % 2]!.take(bucket, rule, time));
        expect({ store: name, limit, previous, offset, answers }).toEqual({
          store: name,
          limit,
          previous,
          offset,
          answers: expected,
        });
      }
    }
  });
});
