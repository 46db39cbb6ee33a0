import { FailFastRedis } from '../store/fail-fast-redis.js';
import { RateLimitStoreUnavailableError, type RateLimitRule, type RateLimitStore } from './rate-limit-store.js';
import { windowPosition } from './sliding-window.js';

/**
 * Adds one to the current window's counter only while it is under the
 * allowance, and keeps it as long as it weighs on a window: one script, so
 * Redis runs it whole, and parallel attempts from any instance are admitted
 * exactly up to the limit.
 */
const takeScript = `
local hits = tonumber(redis.call('GET', KEYS[1]) or '0')
if hits >= tonumber(ARGV[1]) then return 0 end
redis.call('INCR', KEYS[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
`;

/** A command that gets no answer in this long counts as a store that is down (the limiter's policy decides). */
const answerWithinMs = 1_000;

/**
 * Counts in Redis (REDIS_URL), shared by every instance. While Redis is
 * unreachable a command fails at once instead of waiting in a queue: a
 * request must not hang on its rate limit.
 */
export class RedisRateLimitStore implements RateLimitStore {
  readonly kind = 'redis';
  readonly #redis: FailFastRedis;
  readonly #prefix: string;

  /** `onError` hears of a lost connection (once per loss, not once per retry). */
  constructor(options: { url: string; keyPrefix?: string; onError: (error: unknown) => void }) {
    this.#prefix = options.keyPrefix ?? 'reportline:rate-limit:';
    this.#redis = new FailFastRedis({
      url: options.url,
      answerWithinMs,
      onError: (error) => options.onError(new RateLimitStoreUnavailableError(this.kind, { cause: error })),
    });
  }

  async take(bucket: string, rule: RateLimitRule, atMs: number): Promise<boolean> {
    const window = windowPosition(rule, atMs);
    const key = (start: number) => `${this.#prefix}${bucket}:${start}`;
    try {
      // A new instance's first requests wait for the first connection, not longer than a command would.
      await this.#redis.ready();
      const previous = await this.#redis.withinTime(this.#redis.client.get(key(window.previousStart)));
      const maxHits = window.maxHitsInCurrent(Number(previous ?? 0));
      if (maxHits < 1) return false;
      const admitted = await this.#redis.withinTime(
        this.#redis.client.eval(takeScript, {
          keys: [key(window.currentStart)],
          arguments: [String(maxHits), String(window.keepForMs)],
        }),
      );
      return Number(admitted) === 1;
    } catch (error) {
      throw new RateLimitStoreUnavailableError(this.kind, { cause: error });
    }
  }

  async close(): Promise<void> {
    await this.#redis.close();
  }
}
