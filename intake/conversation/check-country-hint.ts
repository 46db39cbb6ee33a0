import type { LanguageCode } from '../i18n/languages.js';

/**
 * Where each language is spoken most, among the countries the conversation offers: the country a number written
 * locally ("081 234 5678") is read in when nothing better is known. None for English or Arabic, spoken too widely.
 */
const countryOfLanguage: Partial<Record<LanguageCode, string>> = {
  ko: 'KR',
  th: 'TH',
  vi: 'VN',
  km: 'KH',
  lo: 'LA',
  my: 'MM',
  id: 'ID',
  ms: 'MY',
  fil: 'PH',
  ja: 'JP',
  zh: 'CN',
};

export function countryOfLanguageFor(language: LanguageCode): string | undefined {
  return countryOfLanguage[language];
}
