import type { Indicator, IndicatorKind } from './indicator.js';

/**
 * Indicators that appear in countless unrelated reports (a bank's public
 * hotline, the agency's own number, a big exchange's deposit domain) and so
 * must not link them. Values are compared in normalized form.
 */
export class IgnoredIndicators {
  readonly #keys: Set<string>;

  constructor(entries: Iterable<{ kind: IndicatorKind; value: string }> = []) {
    this.#keys = new Set([...entries].map((entry) => IgnoredIndicators.#key(entry.kind, entry.value)));
  }

  static #key(kind: string, value: string): string {
    return `${kind}\u0000${value}`;
  }

  has(indicator: Pick<Indicator, 'kind' | 'value'>): boolean {
    return this.#keys.has(IgnoredIndicators.#key(indicator.kind, indicator.value));
  }

  get size(): number {
    return this.#keys.size;
  }
}
