import type { LanguageCode } from '../i18n/languages.js';
import type { AgencyDirectory } from './load-agency-directory.js';

/** A country's name in the reader's language, from the platform's own CLDR data. */
export function countryName(code: string, language: string): string {
  try {
    return new Intl.DisplayNames([language, 'en'], { type: 'region' }).of(code) ?? code;
  } catch {
    return code;
  }
}

/**
 * An agency's name for a reader: its own name when they read the agency's
 * language, else the directory's name for it in their language, else English.
 */
export function agencyName(directory: AgencyDirectory, agencyId: string, language: string): string {
  const agency = directory.agencies.get(agencyId);
  if (!agency) return agencyId;
  const { name } = agency;
  if (name.local && name.localLanguage === language) return name.local;
  return name.translations?.[language as LanguageCode] ?? name.en;
}
