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
 * When to make the next attempt, from `now`: mostly at once (bursts, more of them the higher the limit, so a
 * window holds more attempts than the limit), else just before, at or just after the next edge, at the next
 * third, seventh, ninth or eleventh of the window, or a while later.
 */
function nextAttemptAt(random: () => number, rule: RateLimitRule, now: number): number {
  const burst = rule.limit / (rule.limit + 4);
  const pick = random();
  if (pick < burst) return now;
  const rest = (pick - burst) / (1 - burst);
  const windowStart = Math.floor(now / rule.windowMs) * rule.windowMs;
  const edge = windowStart + rule.windowMs;
  if (rest < 0.4) return edge + Math.floor(random() * 5) - 2;
  if (rest < 0.7) {
    const parts = [3, 7, 9, 11][Math.floor(random() * 4)]!;
    const next = windowStart + Math.ceil(((now - windowStart + 1) / rule.windowMs) * parts) * (rule.windowMs / parts);
    return Math.round(Math.min(next, edge)) + Math.floor(random() * 3) - 1;
  }
  return now + Math.floor(random() * rule.windowMs * 0.4);
}

/** Instants for the arithmetic: as the attempts are aimed, each at least a millisecond after the one before. */
function instantsFrom(random: () => number, rule: RateLimitRule, start: number, count: number): number[] {
  const instants: number[] = [];
  let at = start;
  for (let i = 0; i < count; i += 1) {
    at = Math.max(at + 1, nextAttemptAt(random, rule, at));
    instants.push(at);
  }
  return instants;
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
 * Rules with windows real time crosses many times in a test (longer on a loaded machine, see
 * windowForThisMachine): the counting on the stores' own clocks. Long windows count alike: what differs with the
 * length is the arithmetic, checked at every length.
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
 *
 * `refusesAcrossAnEdge` (PostgreSQL): an update of a window checks the clock again once it holds the window's
 * row and refuses when the window has closed since the statement read the clock (see PostgresRateLimitStore), so
 * an attempt whose span crosses an edge, in a window that already had a count, may also be refused and count
 * nothing.
 */
function follow(
  rule: RateLimitRule,
  states: WindowCounts[],
  span: { from: number; to: number },
  admitted: boolean,
  refusesAcrossAnEdge: boolean,
): { states: WindowCounts[]; fits: boolean; determinate: boolean } {
  const kept = new Map<string, WindowCounts>();
  const answers = new Set<boolean>();
  // Counts of windows that no longer weigh on any later attempt are dropped, so states that differ only there
  // are one.
  const oldestWeighing = windowPosition(rule, span.to).previousStart;
  const keep = (counts: WindowCounts) => {
    const weighing = new Map([...counts].filter(([start]) => start >= oldestWeighing));
    kept.set(JSON.stringify([...weighing].sort(([a], [b]) => a - b)), weighing);
  };
  for (let at = span.from; at <= span.to; at += 1)
    for (const state of states) {
      const next = modelTake(rule, state, at);
      answers.add(next.admitted);
      if (next.admitted === admitted) keep(next.counts);
    }
  const before = windowPosition(rule, span.from).currentStart;
  if (refusesAcrossAnEdge && windowPosition(rule, span.to).currentStart !== before)
    for (const state of states)
      if ((state.get(before) ?? 0) > 0) {
        answers.add(false);
        if (!admitted) keep(state);
      }
  return { states: [...kept.values()], fits: kept.size > 0, determinate: answers.size === 1 };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(!postgresUrl)('the PostgreSQL and Redis rate limit stores', () => {
  let database: TestDatabase;
  let other: Kysely<Database>;
  let redisClient: TestRedis;
  let kinds: Array<{ name: string; instances: RateLimitStore[]; clock: StoreClock; refusesAcrossAnEdge: boolean }>;
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
        refusesAcrossAnEdge: true,
      },
      { name: 'Redis', instances: redisStores, clock: redisClock(redisClient), refusesAcrossAnEdge: false },
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
      const instants = instantsFrom(random, rule, Date.now(), 400).map((at) => ({
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

  /**
   * One attempt on each store at once, each bracketed by its store's clock read just before and just after. An
   * attempt that follows the one before at once starts its bracket at that one's reading after (`since`, one per
   * store): a round trip fewer, the bracket no wider than the time between them.
   */
  async function attemptOnEach(bucket: string, rule: RateLimitRule, instance: number, since?: number[]) {
    return Promise.all(
      kinds.map(async (kind, k) => {
        const from = since?.[k] ?? (await kind.clock());
        const admitted = await kind.instances[instance]!.take(bucket, rule);
        return { from, admitted, to: await kind.clock() };
      }),
    );
  }

  /**
   * The rule's window, lengthened when this machine is loaded: a window must hold more attempts than the limit
   * for the sequence to try it, and on a busy machine an attempt can take tens of milliseconds.
   */
  async function windowForThisMachine(rule: RateLimitRule, bucket: string): Promise<number> {
    const roomy = { limit: 1_000, windowMs: 60_000 };
    // The first attempt opens the connections; the rest show how long an attempt takes (the median of them).
    await attemptOnEach(bucket, roomy, 0);
    const took: number[] = [];
    for (let i = 1; i <= 9; i += 1) {
      const started = performance.now();
      await attemptOnEach(bucket, roomy, i % 2);
      took.push(performance.now() - started);
    }
    const perAttempt = took.sort((a, b) => a - b)[4]!;
    return Math.max(rule.windowMs, Math.ceil((perAttempt * (rule.limit + 3) * 2) / 50) * 50);
  }

  /**
   * One seeded sequence of attempts on one key, on both stores at once, each answer followed in the model over
   * its bracket (it must fit). What was admitted, refused and determinate, per store.
   */
  async function followASequence(seed: number, rule: RateLimitRule, attempts: number) {
    const random = generator(seed);
    const bucket = `agree-${seed}`;
    const followed = kinds.map(() => ({
      states: [new Map()] as WindowCounts[],
      determinate: 0,
      admitted: 0,
      refused: 0,
    }));
    let since: number[] | undefined;
    for (let i = 0; i < attempts; i += 1) {
      // Aimed by this process's clock (the same machine's), from where it stands now, so a slow attempt does not
      // leave the rest of the sequence behind; judged by each store's clock, read around each attempt.
      const target = nextAttemptAt(random, rule, Date.now());
      const waits = target > Date.now();
      if (waits) await sleep(target - Date.now());
      const answers = await attemptOnEach(bucket, rule, random() < 0.5 ? 0 : 1, waits ? undefined : since);
      since = answers.map(({ to }) => to);
      for (const [k, { from, admitted, to }] of answers.entries()) {
        const model = followed[k]!;
        const next = follow(rule, model.states, { from, to }, admitted, kinds[k]!.refusesAcrossAnEdge);
        if (!next.fits)
          throw new Error(
            `seed ${seed}, ${rule.windowMs} ms windows, attempt ${i} between ${from} and ${to} by its clock ` +
              `(${(from % rule.windowMs) / rule.windowMs} into its window): ${kinds[k]!.name} said ${admitted}, ` +
              `which no instant between fits`,
          );
        model.states = next.states;
        if (next.determinate) model.determinate += 1;
        if (admitted) model.admitted += 1;
        else model.refused += 1;
      }
    }
    return followed;
  }

  it.concurrent.for(shortRules)(
    'admit exactly what the sliding window allows on their own clocks, attempt for attempt ($limit per $windowMs ms)',
    async (shortRule, { expect }) => {
      const seed = shortRule.limit * 7919 + shortRule.windowMs;
      const rule = { limit: shortRule.limit, windowMs: await windowForThisMachine(shortRule, `pace-${seed}`) };
      const attempts = 10 * (rule.limit + 4);
      for (const model of await followASequence(seed, rule, attempts)) {
        // The sequence must have tried the limit, and most attempts must have had one right answer.
        expect(model.admitted).toBeGreaterThan(rule.limit);
        expect(model.refused).toBeGreaterThan(0);
        expect(model.determinate).toBeGreaterThan(attempts / 2);
      }
    },
  );
});
