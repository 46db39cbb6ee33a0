import type { AgencyDirectory } from './load-agency-directory.js';

/** A country's name in the reader's language, from the platform's own CLDR data. */
export function countryName(code: string, language: string): string {
  try {
    return new Intl.DisplayNames([language, 'en'], { type: 'region' }).of(code) ?? code;
  } catch {
    return code;
  }
}

/** An agency's name for a reader: in their language when it is the agency's own, else in English. */
export function agencyName(directory: AgencyDirectory, agencyId: string, language: string): string {
  const agency = directory.agencies.get(agencyId);
  if (!agency) return agencyId;
  return agency.name.local && agency.name.localLanguage === language ? agency.name.local : agency.name.en;
}
