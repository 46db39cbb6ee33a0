import type { RateLimitRule } from '../../intake/limits/rate-limit-store.js';

/**
 * The sliding window the shared stores count with (see RateLimitStore), in JavaScript's own arithmetic: the
 * model the PostgreSQL store's SQL and the Redis store's Lua are held to, attempt for attempt.
 */
export interface WindowPosition {
  /** Start of the window `atMs` falls in (ms since the epoch). */
  currentStart: number;
  previousStart: number;
  /** How many attempts the current window may still hold, given the previous window's count. */
  maxHitsInCurrent(previousHits: number): number;
  /** The share of the previous window still within the last `windowMs`. */
  previousWeight: number;
}

export function windowPosition(rule: RateLimitRule, atMs: number): WindowPosition {
  const currentStart = Math.floor(atMs / rule.windowMs) * rule.windowMs;
  const stillInside = 1 - (atMs - currentStart) / rule.windowMs;
  return {
    currentStart,
    previousStart: currentStart - rule.windowMs,
    maxHitsInCurrent: (previousHits) => Math.floor(rule.limit - previousHits * stillInside + 1e-9),
    previousWeight: stillInside,
  };
}

/** The counts of one key: window start → attempts counted in it. */
export type WindowCounts = ReadonlyMap<number, number>;

/** One attempt at `atMs` against `counts`: whether it is admitted, and the counts after it. */
export function modelTake(
  rule: RateLimitRule,
  counts: WindowCounts,
  atMs: number,
): { admitted: boolean; counts: WindowCounts } {
  const window = windowPosition(rule, atMs);
  const room = window.maxHitsInCurrent(counts.get(window.previousStart) ?? 0);
  const current = counts.get(window.currentStart) ?? 0;
  if (room < 1 || current >= room) return { admitted: false, counts };
  return { admitted: true, counts: new Map(counts).set(window.currentStart, current + 1) };
}
