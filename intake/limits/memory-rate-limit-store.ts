import type { Clock } from '../clock.js';
import type { RateLimitRule, RateLimitStore } from './rate-limit-store.js';

/** Keys past this many are swept of those with no attempt left in their window. */
const sweepAbove = 10_000;

/**
 * Counts in this process's memory, with the time of every attempt (an exact
 * sliding window): right for one instance on SQLite, wrong for several
 * instances, each of which would give a guesser the whole limit again. Its
 * clock is the process's (`now`, which a test steps): one process has only one.
 */
export class MemoryRateLimitStore implements RateLimitStore {
  readonly kind = 'memory';
  readonly #now: Clock;
  readonly #hits = new Map<string, { windowMs: number; at: number[] }>();

  constructor(now: Clock) {
    this.#now = now;
  }

  take(bucket: string, rule: RateLimitRule): Promise<boolean> {
    return Promise.resolve(this.takeNow(bucket, rule));
  }

  /** The same count, without a promise, for callers in one process. */
  takeNow(bucket: string, rule: RateLimitRule): boolean {
    const atMs = this.#now().getTime();
    const recent = (this.#hits.get(bucket)?.at ?? []).filter((at) => atMs - at < rule.windowMs);
    if (recent.length >= rule.limit) {
      this.#hits.set(bucket, { windowMs: rule.windowMs, at: recent });
      return false;
    }
    recent.push(atMs);
    this.#hits.set(bucket, { windowMs: rule.windowMs, at: recent });
    if (this.#hits.size > sweepAbove) this.#forgetOld(atMs);
    return true;
  }

  close(): Promise<void> {
    this.#hits.clear();
    return Promise.resolve();
  }

  #forgetOld(nowMs: number): void {
    for (const [bucket, { windowMs, at }] of this.#hits)
      if (at.every((time) => nowMs - time >= windowMs)) this.#hits.delete(bucket);
  }
}
