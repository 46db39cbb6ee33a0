import { randomBytes } from 'node:crypto';
import { createClient } from 'redis';
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
  readonly #client: ReturnType<typeof createClient>;
  readonly #connected: Promise<unknown>;
  readonly #prefix: string;
  #down = false;

  /** `onError` hears of a lost connection (once per loss, not once per retry). */
  constructor(options: { url: string; keyPrefix?: string; onError: (error: unknown) => void }) {
    this.#prefix = options.keyPrefix ?? 'reportline:send-pace:';
    let reported = false;
    this.#client = createClient({
      url: options.url,
      disableOfflineQueue: true,
      socket: { connectTimeout: answerWithinMs, reconnectStrategy: (retries) => Math.min(100 * 2 ** retries, 5_000) },
    });
    this.#client.on('error', (error: unknown) => {
      this.#down = true;
      if (!reported) options.onError(error);
      reported = true;
    });
    this.#client.on('ready', () => {
      this.#down = false;
      reported = false;
    });
    // Not awaited: the services start while Redis is down, and pace alone until it is back.
    this.#connected = this.#client.connect().catch(() => undefined);
  }

  async take(channel: string, perSecond: number, windowMs: number): Promise<number> {
    if (!this.#client.isReady) {
      if (this.#down) throw new Error('Redis is not connected');
      await withinTime(this.#connected);
    }
    const answer = await withinTime(
      this.#client.eval(takeScript, {
        keys: [`${this.#prefix}${channel}`],
        arguments: [String(perSecond), String(windowMs), randomBytes(8).toString('hex')],
      }),
    );
    return Number(answer);
  }

  async close(): Promise<void> {
    try {
      if (this.#client.isReady) await this.#client.close();
      else this.#client.destroy();
    } catch {
      // Already closed: nothing left to release.
    }
  }
}

async function withinTime<T>(answer: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${answerWithinMs} ms`)), answerWithinMs);
  });
  try {
    return await Promise.race([answer, late]);
  } finally {
    clearTimeout(timer);
  }
}
