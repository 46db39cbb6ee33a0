import type { Kysely } from 'kysely';
import type { Database } from '../store/database.js';
import { RateLimitStoreUnavailableError, type RateLimitRule, type RateLimitStore } from './rate-limit-store.js';
import { windowPosition } from './sliding-window.js';

/** Expired counters are swept at most this often per instance, so a sweep is no cost on every attempt. */
const sweepEveryMs = 60_000;

/**
 * Counts in the database every instance shares (table rate_limit_counters).
 * The count is one upsert whose update only happens while the window has
 * room, so attempts sent at the same moment to different instances are
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
      // The previous window is closed: its count no longer changes, so reading it apart is safe.
      const previous = await this.#db
        .selectFrom('rate_limit_counters')
        .select('hits')
        .where('bucket', '=', bucket)
        .where('window_start', '=', window.previousStart)
        .executeTakeFirst();
      const maxHits = window.maxHitsInCurrent(Number(previous?.hits ?? 0));
      if (maxHits < 1) return false;
      const counted = await this.#db
        .insertInto('rate_limit_counters')
        .values({ bucket, window_start: window.currentStart, hits: 1, expires_at: atMs + window.keepForMs })
        .onConflict((conflict) =>
          conflict
            .columns(['bucket', 'window_start'])
            .doUpdateSet((eb) => ({ hits: eb('rate_limit_counters.hits', '+', 1) }))
            .where('rate_limit_counters.hits', '<', maxHits),
        )
        .returning('hits')
        .executeTakeFirst();
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
