import { createClient } from 'redis';

/**
 * A Redis connection for counters asked on a request's or a send's way (the
 * shared rate limits, the shared send pacing): while Redis is unreachable a
 * command fails at once instead of waiting in the client's offline queue, and
 * one that gets no answer within `answerWithinMs` fails too, so the caller's
 * policy (fail open or closed, pace alone) decides instead of the request
 * hanging. The services start while Redis is down; it reconnects by itself.
 */
export class FailFastRedis {
  readonly client: ReturnType<typeof createClient>;
  readonly #answerWithinMs: number;
  readonly #connected: Promise<unknown>;
  /** Set by a failed connection, cleared when Redis is back: while down, a command is not held up waiting. */
  #down = false;

  /** `onError` hears of a lost connection (once per loss, not once per retry). */
  constructor(options: { url: string; answerWithinMs: number; onError: (error: unknown) => void }) {
    this.#answerWithinMs = options.answerWithinMs;
    let reported = false;
    this.client = createClient({
      url: options.url,
      disableOfflineQueue: true,
      socket: {
        connectTimeout: options.answerWithinMs,
        reconnectStrategy: (retries) => Math.min(100 * 2 ** retries, 5_000),
      },
    });
    this.client.on('error', (error: unknown) => {
      this.#down = true;
      if (!reported) options.onError(error);
      reported = true;
    });
    this.client.on('ready', () => {
      this.#down = false;
      reported = false;
    });
    // Not awaited: a new instance's first commands wait for the first connection (see ready()).
    this.#connected = this.client.connect().catch(() => undefined);
  }

  /**
   * Resolves when a command can be sent: at once while connected, after the
   * first connection (within the answer time); fails at once while down.
   */
  async ready(): Promise<void> {
    if (this.client.isReady) return;
    if (this.#down) throw new Error('Redis is not connected');
    await this.withinTime(this.#connected);
  }

  /** The command's answer, or a failure once `answerWithinMs` has passed without one. */
  async withinTime<T>(answer: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${this.#answerWithinMs} ms`)), this.#answerWithinMs);
    });
    try {
      return await Promise.race([answer, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    try {
      if (this.client.isReady) await this.client.close();
      else this.client.destroy();
    } catch {
      // Already closed: nothing left to release.
    }
  }
}
