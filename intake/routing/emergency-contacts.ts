import type { TFunction } from 'i18next';
import type { AgencyContact } from './directory-schema.js';
import type { AgencyDirectory } from './load-agency-directory.js';
import { agencyName } from './display-names.js';

export interface EmergencyContact {
  agencyId: string;
  label: string;
  agency: string;
  phone?: string;
  url?: string;
}

/**
 * The numbers and sites to show someone in a country: its emergency and
 * reporting contacts, emergency first. With no country known, the countries
 * whose agencies speak the person's language are the likeliest places they
 * are in (someone writing Burmese sees Myanmar's 199 at once, before anyone
 * asked where they are). The consular line of the person's own country (when
 * known) is what can still help them abroad.
 */
export function emergencyContactsFor(
  directory: AgencyDirectory,
  country: string | undefined,
  t: TFunction,
  language: string,
  nationality?: string,
): EmergencyContact[] {
  const order: Record<AgencyContact['kind'], number> = { emergency: 0, reporting: 1, consular: 2, information: 3 };
  const entries: Array<{ agencyId: string; contact: AgencyContact }> = [];
  const countries = new Set<string>();
  if (country) countries.add(country);
  else
    for (const agency of directory.agencies.values())
      if (agency.scope === 'national' && agency.name.localLanguage === language) countries.add(agency.country);
  for (const agency of directory.agencies.values()) {
    // A consular service helps its own nationals abroad, not the people in its country: it is listed only below.
    if (countries.has(agency.country) && agency.scope !== 'consular') {
      for (const contact of agency.contacts)
        if (contact.kind !== 'information') entries.push({ agencyId: agency.id, contact });
    }
  }
  const consular = nationality && nationality !== country ? directory.consularFor(nationality) : undefined;
  if (consular) for (const contact of consular.contacts) entries.push({ agencyId: consular.id, contact });
  return entries
    .sort((a, b) => order[a.contact.kind] - order[b.contact.kind])
    .map(({ agencyId, contact }) => ({
      agencyId,
      label: t(contact.labelKey),
      agency: agencyName(directory, agencyId, language),
      ...(contact.phone ? { phone: contact.phone } : {}),
      ...(contact.url ? { url: contact.url } : {}),
    }));
}
