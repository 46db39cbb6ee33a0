import { systemClock, type Clock } from '../../intake/clock.js';

/**
 * A per-key limit on how often something may happen in a window (in memory,
 * for one process). The key is a session id, never an IP address.
 */
export class RateLimiter {
  readonly #limit: number;
  readonly #windowMs: number;
  readonly #now: Clock;
  readonly #hits = new Map<string, number[]>();

  constructor(options: { limit: number; windowMs: number; now?: Clock }) {
    this.#limit = options.limit;
    this.#windowMs = options.windowMs;
    this.#now = options.now ?? systemClock;
  }

  /** Counts one attempt; false when the key is over its limit. */
  allow(key: string): boolean {
    // No limit (a benchmark's load from one address): nothing to count or keep.
    if (this.#limit === Number.POSITIVE_INFINITY) return true;
    const now = this.#now().getTime();
    const recent = (this.#hits.get(key) ?? []).filter((at) => now - at < this.#windowMs);
    if (recent.length >= this.#limit) {
      this.#hits.set(key, recent);
      return false;
    }
    recent.push(now);
    this.#hits.set(key, recent);
    if (this.#hits.size > 10_000) this.#forgetOld(now);
    return true;
  }

  #forgetOld(now: number): void {
    for (const [key, hits] of this.#hits) if (hits.every((at) => now - at >= this.#windowMs)) this.#hits.delete(key);
  }
}
