import { createClient } from 'redis';
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
  readonly #client: ReturnType<typeof createClient>;
  readonly #connected: Promise<unknown>;
  readonly #prefix: string;
  /** Set by a failed connection, cleared when Redis is back: while down, an attempt is not held up waiting. */
  #down = false;

  /** `onError` hears of a lost connection (once per loss, not once per retry). */
  constructor(options: { url: string; keyPrefix?: string; onError: (error: unknown) => void }) {
    this.#prefix = options.keyPrefix ?? 'reportline:rate-limit:';
    let reported = false;
    this.#client = createClient({
      url: options.url,
      disableOfflineQueue: true,
      socket: {
        connectTimeout: answerWithinMs,
        reconnectStrategy: (retries) => Math.min(100 * 2 ** retries, 5_000),
      },
    });
    this.#client.on('error', (error: unknown) => {
      this.#down = true;
      if (!reported) options.onError(new RateLimitStoreUnavailableError(this.kind, { cause: error }));
      reported = true;
    });
    this.#client.on('ready', () => {
      this.#down = false;
      reported = false;
    });
    // Not awaited by the constructor: the services start while Redis is down, and limit by policy until it is back.
    this.#connected = this.#client.connect().catch(() => undefined);
  }

  async take(bucket: string, rule: RateLimitRule, atMs: number): Promise<boolean> {
    const window = windowPosition(rule, atMs);
    const key = (start: number) => `${this.#prefix}${bucket}:${start}`;
    try {
      // A new instance's first requests wait for the first connection, not longer than a command would.
      if (!this.#client.isReady) {
        if (this.#down) throw new Error('Redis is not connected');
        await withinTime(this.#connected);
      }
      const previous = await withinTime(this.#client.get(key(window.previousStart)));
      const maxHits = window.maxHitsInCurrent(Number(previous ?? 0));
      if (maxHits < 1) return false;
      const admitted = await withinTime(
        this.#client.eval(takeScript, {
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
