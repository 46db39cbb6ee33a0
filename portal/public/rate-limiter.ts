import { systemClock, type Clock } from '../../intake/clock.js';
import { MemoryRateLimitStore } from '../../intake/limits/memory-rate-limit-store.js';
import type { Limiter, RateLimits, WhenStoreDown } from '../../intake/limits/rate-limits.js';

/**
 * A per-key limit on how often something may happen in a window. With the
 * deployment's `limits` (the services always pass them) it is counted in the
 * store every instance shares (PostgreSQL or Redis; memory on SQLite), under
 * its `name`; without them (a portal built by a test on its own) in this
 * limiter's memory. The key is a session id or an address, and the shared
 * stores see only its keyed hash.
 */
export class RateLimiter {
  readonly #shared: Limiter | undefined;
  readonly #local: MemoryRateLimitStore;
  readonly #rule: { limit: number; windowMs: number };

  constructor(options: {
    limit: number;
    windowMs: number;
    /** The clock of a count in this limiter's memory; the shared stores count on their own clock. */
    now?: Clock;
    /** Names this limit in the shared store; a different name for every limit. */
    name?: string;
    /** What to do when the shared store is down (see WhenStoreDown): refuse when the limit guards a secret. */
    whenStoreDown?: WhenStoreDown;
    limits?: RateLimits | undefined;
  }) {
    this.#rule = { limit: options.limit, windowMs: options.windowMs };
    this.#local = new MemoryRateLimitStore(options.now ?? systemClock);
    if (options.limits) {
      if (!options.name || !options.whenStoreDown)
        throw new Error('a shared rate limit needs a name and what to do when its store is down');
      this.#shared = options.limits.limiter(options.name, this.#rule, options.whenStoreDown);
    }
  }

  /** Counts one attempt; false when the key is over its limit. */
  async allow(key: string): Promise<boolean> {
    if (this.#shared) return this.#shared.allow(key);
    // No limit (a benchmark's load from one address): nothing to count or keep.
    if (this.#rule.limit === Number.POSITIVE_INFINITY) return true;
    return this.#local.takeNow(key, this.#rule);
  }
}
