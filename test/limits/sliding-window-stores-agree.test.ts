import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresRateLimitStore, roomSql, windowStartSql } from '../../intake/limits/postgres-rate-limit-store.js';
import type { RateLimitRule, RateLimitStore } from '../../intake/limits/rate-limit-store.js';
import { RedisRateLimitStore, slidingWindowLua } from '../../intake/limits/redis-rate-limit-store.js';
import type { Database } from '../../intake/store/database.js';
import { openDatabase } from '../../intake/store/open-database.js';
import { modelTake, windowPosition, type WindowCounts } from '../support/sliding-window-model.js';
import { openRedis, postgresClock, redisClock, type StoreClock, type TestRedis } from '../support/store-clocks.js';
import { createTestDatabase, type TestDatabase } from '../support/test-databases.js';

/**
 * The PostgreSQL store works the sliding window out in SQL, the Redis store in
 * Lua, each on its own clock: a guesser must get the same answers from either
 * as from the JavaScript model, attempt for attempt, at every point of a
 * window, including just at and around its edges where the previous window's
 * weight is all but 1 or all but 0 and a rounding difference would let one
 * more in. The arithmetic is checked at chosen instants (the stores' own SQL
 * and Lua, given a time); the counting, attempt for attempt on the stores' own
 * clocks, with windows short enough for real time to cross many edges.
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

/**
 * Attempt times that keep coming back to a window's edges and to thirds and sevenths of it, with bursts of
 * attempts at (almost) one moment.
 */
function attemptTimes(random: () => number, rule: RateLimitRule, start: number, count: number): number[] {
  const times: number[] = [];
  let at = start;
  for (let i = 0; i < count; i += 1) {
    const pick = random();
    const windowStart = Math.floor(at / rule.windowMs) * rule.windowMs;
    if (pick < 0.4) at += Math.floor(random() * 4);
    else if (pick < 0.6) {
      // Just before, at or just after the next edge.
      at = windowStart + rule.windowMs + Math.floor(random() * 5) - 2;
    } else if (pick < 0.75) {
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

/** Rules of every length, for the arithmetic at chosen instants. */
const rules: RateLimitRule[] = [
  { limit: 1, windowMs: 60_000 },
  { limit: 3, windowMs: 60_000 },
  { limit: 7, windowMs: 90_000 },
  { limit: 10, windowMs: 3_600_000 },
  { limit: 12, windowMs: 86_400_000 },
  { limit: 5, windowMs: 300 },
];

/**
 * Rules with windows real time crosses many times in a test: the counting on the stores' own clocks. (Long
 * windows count alike: what differs with the length is the arithmetic, checked above at every length.)
 */
const shortRules: RateLimitRule[] = [
  { limit: 1, windowMs: 200 },
  { limit: 3, windowMs: 250 },
  { limit: 7, windowMs: 300 },
  { limit: 10, windowMs: 350 },
  { limit: 12, windowMs: 400 },
];

/** Instants that stand exactly where limit − previous × weight is a hair from a whole number in doubles. */
function hairCases(windowMs: number): Array<{ limit: number; previous: number; at: number }> {
  const start = Math.ceil(Date.now() / windowMs) * windowMs;
  const cases: Array<{ limit: number; previous: number; at: number }> = [];
  for (let limit = 1; limit <= 12; limit += 1)
    for (let previous = 1; previous <= limit; previous += 1)
      for (const parts of [3, 6, 7, 9, 10, 11, 12])
        for (let k = 1; k < parts; k += 1) {
          const at = start + windowMs + Math.round((windowMs * k) / parts);
          const room = limit - previous * windowPosition({ limit, windowMs }, at).previousWeight;
          const hair = Math.abs(room - Math.round(room));
          if (
            hair > 0 &&
            hair < 1e-6 &&
            !cases.some((c) => c.limit === limit && c.previous === previous && c.at === at)
          )
            cases.push({ limit, previous, at });
        }
  return cases;
}

/**
 * Every state the model may be in, given what the store answered: the store read its clock at some instant
 * between `from` and `to` (its clock read just before and just after the attempt). Answers whether the store's
 * answer fits some instant and state, and whether every instant and state would have answered alike.
 */
function follow(
  rule: RateLimitRule,
  states: WindowCounts[],
  span: { from: number; to: number },
  admitted: boolean,
): { states: WindowCounts[]; fits: boolean; determinate: boolean } {
  const kept = new Map<string, WindowCounts>();
  const answers = new Set<boolean>();
  // Counts of windows that no longer weigh on any later attempt are dropped, so states that differ only there
  // are one.
  const oldestWeighing = windowPosition(rule, span.to).previousStart;
  for (let at = span.from; at <= span.to; at += 1)
    for (const state of states) {
      const next = modelTake(rule, state, at);
      answers.add(next.admitted);
      if (next.admitted !== admitted) continue;
      const counts = new Map([...next.counts].filter(([start]) => start >= oldestWeighing));
      kept.set(JSON.stringify([...counts].sort(([a], [b]) => a - b)), counts);
    }
  return { states: [...kept.values()], fits: kept.size > 0, determinate: answers.size === 1 };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(!postgresUrl)('the PostgreSQL and Redis rate limit stores', () => {
  let database: TestDatabase;
  let other: Kysely<Database>;
  let redisClient: TestRedis;
  let kinds: Array<{ name: string; instances: RateLimitStore[]; clock: StoreClock }>;
  const redisStores: RedisRateLimitStore[] = [];
  const failures: unknown[] = [];

  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    other = openDatabase(database.location);
    redisClient = await openRedis(redisUrl);
    const keyPrefix = `reportline-test:${randomBytes(6).toString('hex')}:`;
    for (let i = 0; i < 2; i += 1)
      redisStores.push(new RedisRateLimitStore({ url: redisUrl, keyPrefix, onError: (error) => failures.push(error) }));
    kinds = [
      {
        name: 'PostgreSQL',
        instances: [new PostgresRateLimitStore(database.db), new PostgresRateLimitStore(other)],
        clock: postgresClock(database.db),
      },
      { name: 'Redis', instances: redisStores, clock: redisClock(redisClient) },
    ];
  });
  afterAll(async () => {
    for (const store of redisStores) await store.close();
    await redisClient?.close();
    await other?.destroy();
    await database?.dispose();
    expect(failures).toEqual([]);
  });

  /** The window and room each store's own arithmetic gives at each instant, next to the model's. */
  async function arithmeticAt(rule: RateLimitRule, instants: Array<{ at: number; previous: number }>) {
    const model = instants.map(({ at, previous }) => {
      const window = windowPosition(rule, at);
      return [window.currentStart, window.maxHitsInCurrent(previous)];
    });
    const values = sql.join(instants.map(({ at, previous }) => sql`(${at}::bigint, ${previous}::integer)`));
    const ms = sql.ref('instant.ms');
    const { rows } = await sql<{ start: string; room: number }>`
      select ${windowStartSql(rule, ms)} as start,
        ${roomSql(rule, { ms, start: windowStartSql(rule, ms), previousHits: sql.ref('instant.previous') })} as room
      from (values ${values}) as instant(ms, previous)`.execute(database.db);
    const lua = (await redisClient.eval(
      `${slidingWindowLua}
      local answers = {}
      for i = 1, #ARGV, 2 do
        local now, previous = tonumber(ARGV[i]), tonumber(ARGV[i + 1])
        local start = windowStart(now, ${rule.windowMs})
        answers[#answers + 1] = { start, room(now, start, ${rule.limit}, ${rule.windowMs}, previous) }
      end
      return answers`,
      { arguments: instants.flatMap(({ at, previous }) => [String(at), String(previous)]) },
    )) as Array<[number, number]>;
    return { model, postgres: rows.map(({ start, room }) => [Number(start), Number(room)]), redis: lua };
  }

  it.each(rules)(
    'work the window and its room out as the model does, at every point of a window ($limit per $windowMs ms)',
    async (rule) => {
      const random = generator(rule.limit * 7919 + rule.windowMs);
      const instants = attemptTimes(random, rule, Date.now(), 400).map((at) => ({
        at,
        previous: Math.floor(random() * (rule.limit + 1)),
      }));
      const { model, postgres, redis } = await arithmeticAt(rule, instants);
      expect(postgres).toEqual(model);
      expect(redis).toEqual(model);
    },
  );

  it.each([60_000, 90_000, 3_600_000, 86_400_000])(
    'agree where limit − previous × weight lands on a whole number, which double arithmetic misses by a hair (%i ms)',
    async (windowMs) => {
      // Random times seldom stand exactly a third of the way into a window after a window of nine: these do.
      // 10 − 9 × (2/3) is 3.9999999999999996 in doubles, and only the epsilon lets the fourth attempt in.
      const cases = hairCases(windowMs);
      if (windowMs === 60_000) {
        const offsets = cases.map(({ at, ...rest }) => ({ ...rest, offset: at % windowMs }));
        expect(offsets).toContainEqual({ limit: 10, previous: 9, offset: 20_000 });
      }
      expect(cases.length).toBeGreaterThan(0);
      for (const limit of new Set(cases.map((each) => each.limit))) {
        const rule = { limit, windowMs };
        const { model, postgres, redis } = await arithmeticAt(
          rule,
          cases.filter((each) => each.limit === limit),
        );
        expect({ limit, postgres }).toEqual({ limit, postgres: model });
        expect({ limit, redis }).toEqual({ limit, redis: model });
      }
    },
  );

  it.concurrent.for(shortRules)(
    'admit exactly what the sliding window allows on their own clocks, attempt for attempt ($limit per $windowMs ms)',
    async (rule, { expect }) => {
      const seed = rule.limit * 7919 + rule.windowMs;
      const random = generator(seed);
      // Aimed by this process's clock (the same machine's); judged by each store's clock, read around each attempt.
      const times = attemptTimes(random, rule, Date.now() + 50, 40 + 6 * rule.limit);
      const bucket = `agree-${seed}`;
      const followed = kinds.map(() => ({
        states: [new Map()] as WindowCounts[],
        determinate: 0,
        admitted: 0,
        refused: 0,
      }));
      for (const [i, target] of times.entries()) {
        if (target > Date.now()) await sleep(target - Date.now());
        const instance = random() < 0.5 ? 0 : 1;
        for (const [k, kind] of kinds.entries()) {
          const from = await kind.clock();
          const admitted = await kind.instances[instance]!.take(bucket, rule);
          const to = await kind.clock();
          const model = followed[k]!;
          const next = follow(rule, model.states, { from, to }, admitted);
          if (!next.fits)
            throw new Error(
              `seed ${seed}, attempt ${i} between ${from} and ${to} by its clock ` +
                `(${(from % rule.windowMs) / rule.windowMs} into its window): ${kind.name} said ${admitted}, ` +
                `which no instant between fits`,
            );
          model.states = next.states;
          if (next.determinate) model.determinate += 1;
          if (admitted) model.admitted += 1;
          else model.refused += 1;
        }
      }
      for (const model of followed) {
        // The sequence must have tried the limit, and most attempts must have had one right answer.
        expect(model.admitted).toBeGreaterThan(rule.limit);
        expect(model.refused).toBeGreaterThan(0);
        expect(model.determinate).toBeGreaterThan(times.length / 2);
      }
    },
  );
});
