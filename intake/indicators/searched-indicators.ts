import { extractIndicators } from './extract-indicators.js';
import { indicatorKinds, nonLinkingKinds, type Indicator, type IndicatorKind } from './indicator.js';
import { normalizeIndicator } from './normalize-indicator.js';

/** Kinds tried, in order, when a search is one bare value that extraction from free text does not catch. */
const bareValueKinds: IndicatorKind[] = ['crypto_address', 'iban', 'email', 'url', 'domain', 'telegram', 'crypto_tx'];

/** An indicator a search names, with the country a local number was read in when only that reading found it. */
export interface SearchedIndicator {
  indicator: Indicator;
  country?: string;
}

/** The indicators a search names: `kind:value` (from a link), what free text holds, or one bare value. */
function indicatorsOf(text: string, defaultCountry?: string): Indicator[] {
  const options = defaultCountry ? { defaultCountry } : {};
  const prefixed = /^([a-z_]+):(.+)$/.exec(text);
  if (prefixed && (indicatorKinds as readonly string[]).includes(prefixed[1]!)) {
    const indicator = normalizeIndicator(prefixed[1] as IndicatorKind, prefixed[2]!, options);
    return indicator ? [indicator] : [];
  }
  const found = extractIndicators(text, { source: 'search', ...options }).filter(
    (indicator) => !nonLinkingKinds.has(indicator.kind),
  );
  if (found.length > 0) return found;
  for (const kind of [...bareValueKinds, ...(defaultCountry ? (['phone'] as const) : [])]) {
    const indicator = normalizeIndicator(kind, text, options);
    if (indicator) return [indicator];
  }
  return [];
}

/**
 * What a staff search names, read first as written, then in each of `countries` (the one chosen, or all of the
 * hotline's): a local number ("0917 123 4567", as a victim says it) becomes one international number per country
 * where it is one, each then found by its blind index like any other. An indicator only a country's reading found
 * says which country that was.
 */
export function searchedIndicators(text: string, countries: readonly string[]): SearchedIndicator[] {
  const seen = new Set<string>();
  const results: SearchedIndicator[] = [];
  const add = (indicators: Indicator[], country?: string) => {
    for (const indicator of indicators) {
      const key = `${indicator.kind}:${indicator.value}`;
      if (seen.has(key)) continue;
      seen.add(key);
      results.push({ indicator, ...(country ? { country } : {}) });
    }
  };
  add(indicatorsOf(text));
  for (const country of countries) add(indicatorsOf(text, country), country);
  return results;
}
