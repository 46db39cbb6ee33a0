import type { CompoundForm } from '../../intake/compounds/compound-input.js';

/** A compound as the staff console's form sends it: every field empty but those given. */
export function compoundForm(fields: Partial<CompoundForm>): CompoundForm {
  return {
    name: '',
    aliases: '',
    country: 'MM',
    area: '',
    latitude: '',
    longitude: '',
    landmarks: '',
    status: 'active',
    notes: '',
    ...fields,
  };
}

/** A report that names no compound and shares no location: only what comes later can point to one. */
export function reportNamingNoCompound(narrative: string) {
  return {
    channel: 'api',
    language: 'en',
    consent: { shareWithLawEnforcement: true, contactBack: false },
    safety: { heldAgainstWill: true },
    victim: { currentCountry: 'MM', nationality: 'TH' },
    incident: { category: 'fake_job_compound', narrative },
  };
}
