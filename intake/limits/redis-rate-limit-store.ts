import { FailFastRedis } from '../store/fail-fast-redis.js';
import { RateLimitStoreUnavailableError, type RateLimitRule, type RateLimitStore } from './rate-limit-store.js';

/**
 * The sliding window's arithmetic in Lua (see RateLimitStore): the start of the window `now` falls in, and how
 * many attempts it may hold given the previous window's count, floor(limit − previous × weight + 1e-9), in
 * doubles and in the same order of operations as the PostgreSQL store's SQL (and the tests' JavaScript model), so
 * the stores give the same answer where the result is a hair from a whole number.
 */
export const slidingWindowLua = `
local function windowStart(now, window)
  return math.floor(now / window) * window
end
local function room(now, start, limit, window, previous)
  return math.floor(limit - previous * (1 - (now - start) / window) + 1e-9)
end
`;

/**
 * One attempt, counted on Redis's own clock (TIME; Redis 7 replicates a script's effects, so it may read it):
 * the key's hash holds the window it last counted in (`start`), that window's count (`hits`) and the count of
 * the window before it (`previous`). A new window takes the last one's count as its previous (or none, when
 * the last one is further back). The count goes up only while the window has room; the hash is kept until its
 * window no longer weighs on the next. One script, so Redis runs it whole: parallel attempts from any instance
 * are admitted exactly up to the limit. Answers 1 when counted, 0 when over the limit.
 */
const takeScript = `${slidingWindowLua}
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local start = windowStart(now, window)
local kept = redis.call('HMGET', KEYS[1], 'start', 'hits', 'previous')
local keptStart = tonumber(kept[1])
-- A window ahead of this clock (Redis failed over to a replica whose clock is behind) still counts: going back
-- must not give a guesser the limit again.
if keptStart and keptStart > start then start = keptStart end
local hits, previous = 0, 0
if keptStart == start then
  hits, previous = tonumber(kept[2]), tonumber(kept[3])
elseif keptStart == start - window then
  previous = tonumber(kept[2])
end
if hits >= room(now, start, limit, window, previous) then return 0 end
redis.call('HSET', KEYS[1], 'start', start, 'hits', hits + 1, 'previous', previous)
redis.call('PEXPIREAT', KEYS[1], start + 2 * window)
return 1
`;

/** A command that gets no answer in this long counts as a store that is down (the limiter's policy decides). */
const answerWithinMs = 1_000;

/**
 * Counts in Redis (REDIS_URL), shared by every instance, one script per
 * attempt. While Redis is unreachable a command fails at once instead of
 * waiting in a queue: a request must not hang on its rate limit.
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

  async take(bucket: string, rule: RateLimitRule): Promise<boolean> {
    try {
      // A new instance's first requests wait for the first connection, not longer than a command would.
      await this.#redis.ready();
      const admitted = await this.#redis.withinTime(
        this.#redis.client.eval(takeScript, {
          keys: [`${this.#prefix}${bucket}`],
          arguments: [String(rule.limit), String(rule.windowMs)],
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
