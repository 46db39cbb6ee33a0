import type { Indicator } from './indicator.js';

/** The first of each (kind, value): one indicator found twice in a report is one lead. */
export function uniqueIndicators(indicators: Indicator[]): Indicator[] {
  const seen = new Set<string>();
  return indicators.filter((indicator) => {
    const key = `${indicator.kind}\u0000${indicator.value}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
