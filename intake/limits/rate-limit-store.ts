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
 */
export interface RateLimitStore {
  readonly kind: 'memory' | 'postgres' | 'redis';
  /** Counts one attempt at `atMs` when it is within the rule; false (and nothing counted) when it is over. */
  take(bucket: string, rule: RateLimitRule, atMs: number): Promise<boolean>;
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
