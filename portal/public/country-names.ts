import { conversationCountries } from '../../intake/conversation/choice-options.js';
import { countryCodes } from '../../intake/i18n/country-codes.js';
import type { LanguageCode } from '../../intake/i18n/languages.js';

export interface CountryChoice {
  code: string;
  name: string;
}

const cache = new Map<LanguageCode, { alliance: CountryChoice[]; others: CountryChoice[] }>();

/**
 * Every country named in the reader's language: the alliance's countries
 * first (where most reporters are), then the rest in the order of that
 * language's alphabet.
 */
export function countryChoices(language: LanguageCode): { alliance: CountryChoice[]; others: CountryChoice[] } {
  const cached = cache.get(language);
  if (cached) return cached;
  const names = new Intl.DisplayNames([language, 'en'], { type: 'region' });
  const name = (code: string) => ({ code, name: names.of(code) ?? code });
  const first = new Set<string>(conversationCountries);
  const collator = new Intl.Collator([language, 'en']);
  const choices = {
    alliance: conversationCountries.map(name),
    others: countryCodes
      .filter((code) => !first.has(code))
      .map(name)
      .sort((a, b) => collator.compare(a.name, b.name)),
  };
  cache.set(language, choices);
  return choices;
}
