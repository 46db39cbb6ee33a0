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
 * reporting contacts, emergency first. With no country known, or a country
 * not in the directory, the consular line of the person's own country (when
 * known) is what can still help them.
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
  for (const agency of directory.agencies.values()) {
    if (country && agency.country === country) {
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
