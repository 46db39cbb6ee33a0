/**
 * How the intake's outboxes (agency deliveries, chat messages) wait before
 * trying again: exponentially longer after each failure, up to a ceiling,
 * with jitter so that many retries after one outage do not all arrive at once.
 */
export interface RetryBackoffOptions {
  /** The first retry waits about this long; each next one twice as long. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  random?: () => number;
}

export class RetryBackoff {
  readonly #baseDelayMs: number;
  readonly #maxDelayMs: number;
  readonly #random: () => number;

  constructor(options: RetryBackoffOptions, defaults: { baseDelayMs: number; maxDelayMs: number }) {
    this.#baseDelayMs = options.baseDelayMs ?? defaults.baseDelayMs;
    this.#maxDelayMs = options.maxDelayMs ?? defaults.maxDelayMs;
    this.#random = options.random ?? Math.random;
  }

  /** Delay before try number `attempts + 1`: between half and all of the capped exponential delay. */
  delayMs(attempts: number): number {
    const exponential = Math.min(this.#maxDelayMs, this.#baseDelayMs * 2 ** Math.max(0, attempts - 1));
    return Math.round(exponential / 2 + (this.#random() * exponential) / 2);
  }
}
