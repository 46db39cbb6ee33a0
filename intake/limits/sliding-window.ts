import type { RateLimitRule } from './rate-limit-store.js';

/**
 * The sliding window the shared stores count with: two fixed windows per key,
 * the previous one weighted by how much of it still lies within the last
 * `windowMs`. It keeps two counters per key instead of every attempt's time,
 * and an attempt made just after a window boundary still sees the attempts
 * made just before it (a fixed window would let a guesser try 2 × limit
 * across the boundary).
 */
export interface WindowPosition {
  /** Start of the window `atMs` falls in (ms since the epoch). */
  currentStart: number;
  previousStart: number;
  /** How many attempts the current window may still hold, given the previous window's count. */
  maxHitsInCurrent(previousHits: number): number;
  /**
   * The share of the previous window still within the last `windowMs`: maxHitsInCurrent(previous) is
   * floor(limit − previous × previousWeight + 1e-9), for a store that works it out where it counts (in SQL).
   */
  previousWeight: number;
  /** How long a window's counter must be kept: until it no longer weighs on the next one. */
  keepForMs: number;
}

export function windowPosition(rule: RateLimitRule, atMs: number): WindowPosition {
  const currentStart = Math.floor(atMs / rule.windowMs) * rule.windowMs;
  const stillInside = 1 - (atMs - currentStart) / rule.windowMs;
  return {
    currentStart,
    previousStart: currentStart - rule.windowMs,
    // The small epsilon keeps 3 - 1 × 0.0000000001 from rounding down to 2 when the weight is all but gone.
    maxHitsInCurrent: (previousHits) => Math.floor(rule.limit - previousHits * stillInside + 1e-9),
    previousWeight: stillInside,
    keepForMs: 2 * rule.windowMs,
  };
}
