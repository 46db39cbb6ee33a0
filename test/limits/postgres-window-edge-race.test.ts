import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresRateLimitStore } from '../../intake/limits/postgres-rate-limit-store.js';
import type { RateLimitRule } from '../../intake/limits/rate-limit-store.js';
import { openDatabase } from '../../intake/store/open-database.js';
import { postgresClock, untilClockReads, type StoreClock } from '../support/store-clocks.js';
import { createTestDatabase, type TestDatabase } from '../support/test-databases.js';

/**
 * Added after the fix: at a window's edge on PostgreSQL, an attempt that read the clock just before the edge
 * could still add to the closed window after an attempt past the edge had read that window's count, so two
 * racing attempts got one more than the limit between them. The interleavings are forced here with a third
 * connection holding a row in an open transaction, as a slow statement would.
 */
const postgresUrl = process.env.DATABASE_URL;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A window of some eight days that the database's clock entered two to five seconds ago (windows start at
 * whole multiples of their length since 1970), so the previous window's count weighs all but fully for the
 * whole test, with no waiting for an edge: limit − previous × weight is 1 for limit − 1 previous attempts and 0
 * for limit.
 */
function aWindowJustOpened(nowMs: number, limit: number): RateLimitRule {
  const windowsSinceEpoch = Math.floor(nowMs / (8 * 86_400_000));
  return { limit, windowMs: Math.floor((nowMs - 2_000) / windowsSinceEpoch) };
}

describe.skipIf(!postgresUrl)('the PostgreSQL rate limit store at a window edge', () => {
  let database: TestDatabase;
  let other: ReturnType<typeof openDatabase>;
  let clock: StoreClock;
  /** A connection of its own, playing the statement that is slow to finish. */
  let slow: pg.Client;
  let slowPid: number;

  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    other = openDatabase(database.location);
    clock = postgresClock(database.db);
    const location = database.location as { url: string; searchPath: string };
    slow = new pg.Client({ connectionString: location.url, options: `-c search_path=${location.searchPath}` });
    await slow.connect();
    slowPid = Number((await slow.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid);
  });
  afterAll(async () => {
    await slow?.end();
    await other?.destroy();
    await database?.dispose();
  });

  /** Whether `attempt` came to wait for the slow connection's transaction (rather than finishing without it). */
  async function waitsForTheSlowOne(attempt: Promise<boolean>): Promise<boolean> {
    let settled = false;
    void attempt.then(
      () => (settled = true),
      () => (settled = true),
    );
    while (!settled) {
      const { rows } = await sql<{ waiting: string }>`
        select count(*) as waiting from pg_stat_activity where ${slowPid}::int = any(pg_blocking_pids(pid))`.execute(
        database.db,
      );
      if (Number(rows[0]!.waiting) > 0) return true;
      await sleep(5);
    }
    return false;
  }

  async function insertCounter(bucket: string, windowStart: number, hits: number, rule: RateLimitRule) {
    await sql`insert into rate_limit_counters (bucket, window_start, hits, expires_at)
      values (${bucket}, ${windowStart}::bigint, ${hits}, ${windowStart + 2 * rule.windowMs}::bigint)`.execute(
      database.db,
    );
  }

  it('an attempt past the edge waits for the closed window count still being written, and counts it', async () => {
    const rule = aWindowJustOpened(await clock(), 3);
    const start = Math.floor((await clock()) / rule.windowMs) * rule.windowMs;
    // The closed window held two attempts; a third, admitted just before the edge, is written and not yet committed.
    await insertCounter('edge', start - rule.windowMs, 2, rule);
    await slow.query('begin');
    await slow.query('update rate_limit_counters set hits = hits + 1 where bucket = $1 and window_start = $2', [
      'edge',
      start - rule.windowMs,
    ]);
    const pastTheEdge = new PostgresRateLimitStore(other).take('edge', rule);
    const waited = await waitsForTheSlowOne(pastTheEdge);
    await slow.query('commit');
    // Three in the closed window, weighing all but fully: no room for a fourth (two would have read one).
    expect({ waited, admitted: await pastTheEdge }).toEqual({ waited: true, admitted: false });
  });

  it('an attempt that read the clock before the edge and reached its row after a later attempt read it is not counted', async () => {
    const rule = { limit: 2, windowMs: 1_200 };
    const store = new PostgresRateLimitStore(database.db);
    const pastTheEdgeStore = new PostgresRateLimitStore(other);
    // Each store sweeps expired counters on its first attempt: here, not while the slow connection holds one.
    await store.take('sweep-first', rule);
    await pastTheEdgeStore.take('sweep-first', rule);
    // The attempt before the edge must read the clock in its window and then stop: a few tries, in case this
    // machine is too slow to get it there before the edge.
    for (let round = 0; ; round += 1) {
      const bucket = `before-the-edge-${round}`;
      let start = Math.floor((await clock()) / rule.windowMs) * rule.windowMs;
      if ((await clock()) - start > rule.windowMs / 3) {
        start += rule.windowMs;
        await untilClockReads(clock, start);
      }
      // The window before this one (which the attempt before the edge reads first) and one attempt in this one.
      await insertCounter(bucket, start - rule.windowMs, 0, rule);
      expect(await store.take(bucket, rule)).toBe(true);
      // The slow connection holds the older row: the attempt reads the clock, then waits there.
      await slow.query('begin');
      await slow.query('select hits from rate_limit_counters where bucket = $1 and window_start = $2 for update', [
        bucket,
        start - rule.windowMs,
      ]);
      const beforeTheEdge = store.take(bucket, rule);
      if (!(await waitsForTheSlowOne(beforeTheEdge))) {
        // It read the clock past the edge already (it only waits on that row when it counts in this window).
        await slow.query('rollback');
        if (round < 3) continue;
        throw new Error('the attempt before the edge never waited on the older row');
      }
      // Past the edge: the closed window's one attempt weighs all but fully, so there is room for one.
      await untilClockReads(clock, start + rule.windowMs + 1);
      const pastTheEdge = await pastTheEdgeStore.take(bucket, rule);
      await slow.query('commit');
      // The attempt before the edge reaches its window's row only now, after the later attempt read its count.
      expect({ pastTheEdge, beforeTheEdge: await beforeTheEdge }).toEqual({ pastTheEdge: true, beforeTheEdge: false });
      return;
    }
  });
});
