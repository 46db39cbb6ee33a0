import { SendRateLimiter, sendWindowMs, type SendPacer } from './send-rate-limiter.js';

/**
 * Where several instances count a channel's recent sends (PostgreSQL or Redis), on the store's own clock, so the
 * instances' clocks need not agree.
 */
export interface SendSlots {
  readonly kind: 'postgres' | 'redis';
  /**
   * Counts one send of `channel` when fewer than `perSecond` went out in the last `windowMs`, and answers 0;
   * otherwise counts nothing and answers how many milliseconds to wait before asking again.
   */
  take(channel: string, perSecond: number, windowMs: number): Promise<number>;
  close(): Promise<void>;
}

/** Asking again sooner than this after a refusal would only load the store: the wait is a guess under contention. */
const minimumWaitMs = 5;

/**
 * At most `perSecond` sends in any one second for a channel across every instance: Telegram's limit is the
 * bot's, not an instance's, so three instances pacing alone would send three times it. The callers of one
 * process take turns (one question to the store at a time, in the order they asked), so a burst of chats costs
 * the store one round trip per send rather than one per waiting chat. While the store cannot be asked, this
 * process paces alone (as with one instance) and `onError` hears of it: a reply late by a 429 is worse than one
 * sent at the per-process pace.
 */
export class SharedSendPacer implements SendPacer {
  readonly #slots: SendSlots;
  readonly #channel: string;
  readonly #perSecond: number;
  readonly #alone: SendRateLimiter;
  readonly #onError: (error: unknown) => void;
  #queue: Promise<void> = Promise.resolve();

  constructor(options: { slots: SendSlots; channel: string; perSecond: number; onError: (error: unknown) => void }) {
    this.#alone = new SendRateLimiter(options.perSecond);
    this.#slots = options.slots;
    this.#channel = options.channel;
    this.#perSecond = options.perSecond;
    this.#onError = options.onError;
  }

  take(): Promise<void> {
    const turn = this.#queue.then(() => this.#takeOne());
    this.#queue = turn;
    return turn;
  }

  async #takeOne(): Promise<void> {
    for (;;) {
      let waitMs: number;
      try {
        waitMs = await this.#slots.take(this.#channel, this.#perSecond, sendWindowMs);
      } catch (error) {
        this.#onError(new SendPacingUnavailableError(this.#slots.kind, { cause: error }));
        return this.#alone.take();
      }
      if (waitMs <= 0) return;
      await new Promise((resolve) => setTimeout(resolve, Math.min(sendWindowMs, Math.max(minimumWaitMs, waitMs))));
    }
  }
}

/** The shared pacing store did not answer: this process paced alone. */
export class SendPacingUnavailableError extends Error {
  readonly code = 'chat.send_pacing_unavailable';
  constructor(store: SendSlots['kind'], options: { cause: unknown }) {
    super(`the ${store} send pacing store did not answer`, options);
    this.name = 'SendPacingUnavailableError';
  }
}
