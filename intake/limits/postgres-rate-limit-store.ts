import { sql, type Kysely } from 'kysely';
import type { Database } from '../store/database.js';
import { RateLimitStoreUnavailableError, type RateLimitRule, type RateLimitStore } from './rate-limit-store.js';
import { windowPosition } from './sliding-window.js';

/** Expired counters are swept at most this often per instance, so a sweep is no cost on every attempt. */
const sweepEveryMs = 60_000;

/**
 * Counts in the database every instance shares (table rate_limit_counters).
 * The count is one upsert whose update only happens while the window has
 * room (the room worked out in the same statement), so attempts sent at the same moment to different instances are
 * admitted exactly up to the limit: PostgreSQL serialises the upserts of one
 * row, and each sees the count the one before it left.
 */
export class PostgresRateLimitStore implements RateLimitStore {
  readonly kind = 'postgres';
  readonly #db: Kysely<Database>;
  #lastSweepMs = 0;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  async take(bucket: string, rule: RateLimitRule, atMs: number): Promise<boolean> {
    const window = windowPosition(rule, atMs);
    try {
      await this.#sweepNowAndThen(atMs);
      // One statement: the previous window's count (closed, so it no longer changes) gives the current window's
      // room, and the upsert counts only within it. The room is worked out as maxHitsInCurrent does, in double
      // precision like JavaScript's numbers. (Two statements, a read and then the upsert, were two round trips
      // on every form send, chat message and API write.)
      const { rows } = await sql<{ hits: number }>`
        with room as (
          select floor(
            ${rule.limit}::float8
              - coalesce(
                  (select hits from rate_limit_counters
                   where bucket = ${bucket} and window_start = ${window.previousStart}::bigint),
                  0
                )::float8 * ${window.previousWeight}::float8
              + 1e-9::float8
          ) as max_hits
        )
        insert into rate_limit_counters (bucket, window_start, hits, expires_at)
        select ${bucket}::text, ${window.currentStart}::bigint, 1, ${atMs + window.keepForMs}::bigint
          from room where room.max_hits >= 1
        on conflict (bucket, window_start) do update set hits = rate_limit_counters.hits + 1
          where rate_limit_counters.hits < (select max_hits from room)
        returning hits`.execute(this.#db);
      const counted = rows[0];
      return counted !== undefined;
    } catch (error) {
      throw new RateLimitStoreUnavailableError(this.kind, { cause: error });
    }
  }

  /** The database is the services' own: closing it is theirs to do. */
  close(): Promise<void> {
    return Promise.resolve();
  }

  async #sweepNowAndThen(atMs: number): Promise<void> {
    if (atMs - this.#lastSweepMs < sweepEveryMs) return;
    this.#lastSweepMs = atMs;
    await this.#db.deleteFrom('rate_limit_counters').where('expires_at', '<', atMs).execute();
  }
}
