import type { CheckChannel } from './check-types.js';

/** What a check or dispute came to, for the counts; never what was asked, nor by whom. */
export type CheckOutcome = 'warning' | 'no_warning' | 'nothing_recognised' | 'rate_limited' | 'dispute';

/**
 * Lookups are logged only as counts: how many checks per channel ended how,
 * since the counts were last taken. Nothing here can say who asked or what.
 */
export class CheckCounts {
  #counts = new Map<string, number>();

  count(channel: CheckChannel, outcome: CheckOutcome): void {
    const key = `${channel}.${outcome}`;
    this.#counts.set(key, (this.#counts.get(key) ?? 0) + 1);
  }

  /** The counts since the last call (`telegram.no_warning: 12`), and a fresh start. */
  take(): Record<string, number> {
    const taken = Object.fromEntries([...this.#counts.entries()].sort(([a], [b]) => a.localeCompare(b)));
    this.#counts = new Map();
    return taken;
  }
}
