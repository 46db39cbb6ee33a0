import { randomBytes } from 'node:crypto';
import { FailFastRedis } from '../store/fail-fast-redis.js';
import type { SendSlots } from './shared-send-pacer.js';

/**
 * The channel's sends of the last window as a sorted set scored by Redis's own clock (TIME): one script, so
 * Redis runs it whole and sends asked for at once by any instance are counted one after another. Answers 0 when
 * the send was counted, else the milliseconds until the oldest counted send leaves the window.
 */
const takeScript = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. (now - window))
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], window * 2)
  return 0
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return math.max(1, tonumber(oldest[2]) + window + 1 - now)
`;

/** A command that gets no answer in this long counts as a store that is down (the pacer paces alone). */
const answerWithinMs = 1_000;

/** Send pacing in Redis (REDIS_URL), shared by every instance; a command fails at once while Redis is away. */
export class RedisSendSlots implements SendSlots {
  readonly kind = 'redis';
  readonly #redis: FailFastRedis;
  readonly #prefix: string;

  /** `onError` hears of a lost connection (once per loss, not once per retry). */
  constructor(options: { url: string; keyPrefix?: string; onError: (error: unknown) => void }) {
    this.#prefix = options.keyPrefix ?? 'reportline:send-pace:';
    this.#redis = new FailFastRedis({ url: options.url, answerWithinMs, onError: options.onError });
  }

  async take(channel: string, perSecond: number, windowMs: number): Promise<number> {
    await this.#redis.ready();
    const answer = await this.#redis.withinTime(
      this.#redis.client.eval(takeScript, {
        keys: [`${this.#prefix}${channel}`],
        arguments: [String(perSecond), String(windowMs), randomBytes(8).toString('hex')],
      }),
    );
    return Number(answer);
  }

  async close(): Promise<void> {
    await this.#redis.close();
  }
}
