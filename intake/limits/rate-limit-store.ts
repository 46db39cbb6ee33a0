/** How many attempts a key may make in a window, e.g. 5 form sends an hour. */
export interface RateLimitRule {
  limit: number;
  windowMs: number;
}

/**
 * Where attempts are counted. One process on SQLite counts in its memory;
 * several instances count in PostgreSQL or Redis, so a limit is the same with
 * one instance or ten. `bucket` is already a keyed hash (see rate-limits.ts):
 * no store ever holds an address or a session id.
 *
 * The shared stores count with a sliding window: two fixed windows per key, the previous one weighted by the
 * share of it still within the last `windowMs`, so the current window may hold
 * floor(limit − previous × weight + 1e-9) (the epsilon keeps 3 − 1 × 0.0000000001 from rounding down to 2 when
 * the weight is all but gone). It keeps two counters per key instead of every attempt's time, and an attempt
 * just after a window edge still sees those just before it (a fixed window would let a guesser try 2 × limit
 * across the edge). They place an attempt in its window by their own clock (the database's, Redis's), never by
 * the instance's: instances on several machines read clocks some milliseconds or seconds apart, and counting by
 * them put the same moment in two windows.
 */
export interface RateLimitStore {
  readonly kind: 'memory' | 'postgres' | 'redis';
  /** Counts one attempt now, by the store's clock, when it is within the rule; false (nothing counted) when over. */
  take(bucket: string, rule: RateLimitRule): Promise<boolean>;
  close(): Promise<void>;
}

/** The store could not be asked (Redis or PostgreSQL down): the limiter's policy decides. */
export class RateLimitStoreUnavailableError extends Error {
  readonly code = 'limits.store_unavailable';
  constructor(store: RateLimitStore['kind'], options: { cause: unknown }) {
    super(`the ${store} rate limit store did not answer`, options);
    this.name = 'RateLimitStoreUnavailableError';
  }
}
