/**
 * The schedule of a background worker: one round at a time, every interval,
 * and at once after `nudge()`. A nudge while a round runs makes the next
 * round start right after it, so what was nudged never waits a whole
 * interval. The delivery dispatcher, the mail outbox worker, the urgent clock
 * worker and the compound matcher poll this way; what a round does is theirs.
 */
export class PollingLoop {
  readonly #round: () => Promise<unknown>;
  readonly #onError: (error: unknown) => void;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #stopped = true;
  #nudged = false;
  #draining = false;
  #intervalMs = 0;

  constructor(round: () => Promise<unknown>, onError: (error: unknown) => void) {
    this.#round = round;
    this.#onError = onError;
  }

  get stopped(): boolean {
    return this.#stopped;
  }

  /**
   * True from stop() until the next start(): a round that claims work in
   * batches asks this between batches, so a stopping worker finishes what it
   * holds and claims no more. (Before the first start it is false, so a round
   * run by hand, as tests do, works through everything due.)
   */
  get draining(): boolean {
    return this.#draining;
  }

  /** Runs a round now and then every `intervalMs`, until stop(). Does nothing when it already runs. */
  start(intervalMs: number): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.#draining = false;
    this.#intervalMs = intervalMs;
    this.#schedule(0);
  }

  nudge(): void {
    if (this.#stopped) return;
    if (this.#running) {
      this.#nudged = true;
      return;
    }
    this.#schedule(0);
  }

  /** Schedules no more rounds and waits for the one in hand. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#draining = true;
    clearTimeout(this.#timer);
    await this.#running;
  }

  #schedule(delayMs: number): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.#tick(), delayMs);
  }

  #tick(): void {
    if (this.#stopped) return;
    this.#nudged = false;
    // A failed round is reported and the loop goes on: the next round tries again.
    this.#running = this.#round().then(
      () => undefined,
      (error: unknown) => this.#onError(error),
    );
    void this.#running.finally(() => {
      this.#running = undefined;
      if (!this.#stopped) this.#schedule(this.#nudged ? 0 : this.#intervalMs);
    });
  }
}

/**
 * One round of a worker that claims in batches: claims, works the batch off
 * (all at once), and claims again until nothing is due or the loop drains, so
 * a stopping worker finishes what it holds and claims no more. Returns how
 * many it worked on.
 */
export async function workOffInBatches<T>(
  loop: PollingLoop,
  claim: () => Promise<T[]>,
  work: (item: T) => Promise<void>,
): Promise<number> {
  let worked = 0;
  while (!loop.draining) {
    const claimed = await claim();
    if (claimed.length === 0) return worked;
    await Promise.all(claimed.map(work));
    worked += claimed.length;
  }
  return worked;
}
