import type { RoutingDecision } from './route-report.js';

/**
 * The routing a staff member chose, as a decision like the rules make: the
 * reason says a person chose it (their own words go into the case's notes,
 * not to agencies). Urgency and consent stay what the report says.
 */
export function decisionChosenByStaff(
  choice: { primary: string; copies: string[] },
  facts: { urgent: boolean; withheld: boolean },
): RoutingDecision {
  const reason = { key: 'reasons.staffCorrection', params: {} };
  return {
    urgent: facts.urgent,
    withheld: facts.withheld,
    primary: { agencyId: choice.primary, role: 'primary', reason },
    copies: choice.copies
      .filter((agencyId) => agencyId !== choice.primary)
      .map((agencyId) => ({ agencyId, role: 'copy', reason })),
  };
}
