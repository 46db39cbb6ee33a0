import type { FormStep } from './form-steps.js';

/**
 * "Send now", for someone in danger: one short page with only what an urgent
 * report needs, all on the first screen of a phone: consent (the one required
 * answer), and optionally a safe way and time to be contacted. Its button
 * saves these answers and sends the report with what the other pages already
 * hold. Its fields are the same fields as on the full form's pages.
 */
export const urgentStep: FormStep = {
  id: 'urgent',
  sections: [
    {
      kind: 'fields',
      fields: [
        { name: 'consent.shareWithLawEnforcement', kind: 'yesno', required: true },
        { name: 'consent.contactBack', kind: 'yesno' },
        { name: 'safety.safeContactMethod', kind: 'text' },
      ],
    },
  ],
};
