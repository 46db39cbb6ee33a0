/**
 * At most `perSecond` sends in any one second, for a whole platform channel:
 * the chat outbox worker holds one per channel that declares a rate
 * (Telegram: about 30 messages a second for the whole bot), shared by every
 * chat it serves at once, so a burst of many people's turns stays under the
 * platform's limit instead of earning 429s. A sliding window (the times of
 * the last `perSecond` sends) rather than a token bucket: a bucket lets a
 * full burst and its refill land in the same second, twice the limit.
 * It counts real time: it paces requests, it does not schedule retries.
 * This one counts in the process: one instance's sends. With several
 * instances the chat outbox paces through a `SharedSendPacer`
 * (shared-send-pacer.ts), over PostgreSQL or Redis.
 */

/**
 * The window, a little over a second: the platform counts when requests reach it, and two requests sent a
 * second apart may arrive closer together than that.
 */
export const sendWindowMs = 1_100;

/** Paces one platform channel's sends: `take()` resolves when one more may go out now. */
export interface SendPacer {
  take(): Promise<void>;
}

export class SendRateLimiter implements SendPacer {
  readonly #perSecond: number;
  /** When the latest sends went out (performance.now()), oldest first; never more than `perSecond`. */
  readonly #recent: number[] = [];
  /** Callers waiting, served in the order they asked. */
  #queue: Promise<void> = Promise.resolve();

  constructor(perSecond: number) {
    if (!Number.isInteger(perSecond) || perSecond < 1)
      throw new RangeError('a send rate must be a whole number above zero');
    this.#perSecond = perSecond;
  }

  /** Resolves when one more send may go out now. */
  take(): Promise<void> {
    const turn = this.#queue.then(() => this.#takeOne());
    this.#queue = turn;
    return turn;
  }

  async #takeOne(): Promise<void> {
    if (this.#recent.length >= this.#perSecond) {
      // The oldest of the last `perSecond` sends must be a second old before another goes.
      const waitMs = this.#recent[0]! + sendWindowMs - performance.now();
      if (waitMs > 0) await new Promise((resolve) => setTimeout(resolve, Math.ceil(waitMs)));
      this.#recent.shift();
    }
    this.#recent.push(performance.now());
  }
}
