import { describe, expect, it } from 'vitest';
import { systemClock, type Clock } from '../../intake/clock.js';
import { RateLimiter } from '../../portal/public/rate-limiter.js';

describe('the rate limiter on the one clock type', () => {
  it('counts within its window by the injected clock and forgets once the window has passed', async () => {
    let at = new Date('2026-12-01T12:00:00Z');
    const clock: Clock = () => at;
    const limiter = new RateLimiter({ limit: 2, windowMs: 60_000, now: clock });
    expect([await limiter.allow('a'), await limiter.allow('a'), await limiter.allow('a')]).toEqual([true, true, false]);
    expect(await limiter.allow('b')).toBe(true);
    at = new Date(at.getTime() + 60_000);
    expect(await limiter.allow('a')).toBe(true);
  });

  it('reads the real time by default', () => {
    const before = Date.now();
    const now = systemClock().getTime();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
  });
});
