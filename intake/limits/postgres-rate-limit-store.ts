import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../store/database.js';
import { RateLimitStoreUnavailableError, type RateLimitRule, type RateLimitStore } from './rate-limit-store.js';

/** Expired counters are swept at most this often per instance, so a sweep is no cost on every attempt. */
const sweepEveryMs = 60_000;

/** The database's clock in whole milliseconds since the epoch: the one clock every instance's attempts count by. */
export const databaseNowMs: RawBuilder<string> = sql<string>`floor(extract(epoch from clock_timestamp()) * 1000)::bigint`;

/** The start of the window `ms` falls in (bigint division rounds down for any time after 1970). */
export function windowStartSql(rule: RateLimitRule, ms: RawBuilder<unknown>): RawBuilder<string> {
  return sql<string>`(${ms} / ${rule.windowMs}::bigint) * ${rule.windowMs}::bigint`;
}

/**
 * How many attempts the window starting at `start` may hold at `ms`, given the previous window's count:
 * floor(limit − previous × weight + 1e-9) (see RateLimitStore), in double precision and in the same order of
 * operations as the Redis store's Lua (and the tests' JavaScript model), so the stores give the same answer where
 * the result is a hair from a whole number.
 */
export function roomSql(
  rule: RateLimitRule,
  at: { ms: RawBuilder<unknown>; start: RawBuilder<unknown>; previousHits: RawBuilder<unknown> },
): RawBuilder<number> {
  const weight = sql`(1::float8 - (${at.ms} - ${at.start})::float8 / ${rule.windowMs}::float8)`;
  return sql<number>`floor(${rule.limit}::float8 - ${at.previousHits}::float8 * ${weight} + 1e-9::float8)`;
}

/**
 * Counts in the database every instance shares (table rate_limit_counters), on the database's clock. The count
 * is one upsert whose update only happens while the window has room (the window and its room worked out in the
 * same statement), so attempts sent at the same moment to different instances are admitted exactly up to the
 * limit: PostgreSQL serialises the upserts of one row, and each sees the count the one before it left.
 *
 * At a window's edge two rows meet: an attempt just past it reads the closed window's count while one that read
 * the clock just before it may still be adding to that count. The read takes the row's share lock, so it waits
 * for an update of that row in flight and reads the count committed (READ COMMITTED follows the row to its
 * latest version); and an update of a window checks the clock again once it holds the row, so an attempt that
 * reached the row only after the window closed (after a later attempt read its count) is not counted in it.
 * Each statement locks the older row before the newer, so two attempts never wait on each other in a circle.
 * (Left open: the first attempt of a window, inserting its row at the last instant, is not seen by an attempt
 * past the edge until it commits; waiting for it would take a write of an empty row on every new key.)
 */
export class PostgresRateLimitStore implements RateLimitStore {
  readonly kind = 'postgres';
  readonly #db: Kysely<Database>;
  /** When this instance last swept (its monotonic clock: only how often it sweeps, never what is counted). */
  #lastSweep = Number.NEGATIVE_INFINITY;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  async take(bucket: string, rule: RateLimitRule): Promise<boolean> {
    try {
      await this.#sweepNowAndThen();
      // One statement, one reading of the database's clock: the window it falls in (or the key's latest window,
      // when that is ahead: after a failover to a server whose clock is behind, going back must not give a
      // guesser the limit again), the previous window's count and so the current window's room, and the upsert
      // that counts only within it. (A read and then the upsert were two round trips on every form send, chat
      // message and API write.) A counter is kept until its window no longer weighs on the next one.
      const { rows } = await sql<{ hits: number }>`
        with clock as materialized (select ${databaseNowMs} as ms),
        latest as materialized (select max(window_start) as start from rate_limit_counters where bucket = ${bucket}),
        position as materialized (
          select clock.ms, greatest(${windowStartSql(rule, sql.ref('clock.ms'))}, latest.start) as start
          from clock, latest
        ),
        room as materialized (
          select start, ${roomSql(rule, {
            ms: sql.ref('position.ms'),
            start: sql.ref('position.start'),
            previousHits: sql`coalesce(
              (select hits from rate_limit_counters
               where bucket = ${bucket} and window_start = position.start - ${rule.windowMs}::bigint
               for share),
              0
            )`,
          })} as max_hits
          from position
        )
        insert into rate_limit_counters (bucket, window_start, hits, expires_at)
        select ${bucket}::text, room.start, 1, room.start + ${2 * rule.windowMs}::bigint
          from room where room.max_hits >= 1
        on conflict (bucket, window_start) do update set hits = rate_limit_counters.hits + 1
          where rate_limit_counters.hits < (select max_hits from room)
            and ${databaseNowMs} < rate_limit_counters.window_start + ${rule.windowMs}::bigint
        returning hits`.execute(this.#db);
      return rows.length > 0;
    } catch (error) {
      throw new RateLimitStoreUnavailableError(this.kind, { cause: error });
    }
  }

  /** The database is the services' own: closing it is theirs to do. */
  close(): Promise<void> {
    return Promise.resolve();
  }

  async #sweepNowAndThen(): Promise<void> {
    const at = performance.now();
    if (at - this.#lastSweep < sweepEveryMs) return;
    this.#lastSweep = at;
    await sql`delete from rate_limit_counters where expires_at < ${databaseNowMs}`.execute(this.#db);
  }
}
