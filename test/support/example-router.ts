import type { CaseRouter } from '../../intake/routing/routing-plan.js';
import { fixedDecision } from './fixed-decision.js';

/**
 * A small routing rule for tests that need agencies without the whole
 * directory: Korean nationals' cases go to Korea, everything else to
 * Thailand, and Cambodia gets a copy of compound cases.
 */
export const exampleRouter: CaseRouter = (content) => {
  const primary = content.victim.nationality === 'KR' ? 'kr-police' : 'th-police';
  const copies = content.incident.category === 'fake_job_compound' ? ['kh-police'] : [];
  return {
    decision: fixedDecision({ primary, copies }, { withheld: !content.consent.shareWithLawEnforcement }),
    withheld: !content.consent.shareWithLawEnforcement,
    agencies: [
      { agencyId: primary, role: 'primary' as const },
      ...copies.map((agencyId) => ({ agencyId, role: 'copy' as const })),
    ],
    deliveries: [],
  };
};
