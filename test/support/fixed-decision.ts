import type { RoutingDecision } from '../../intake/routing/route-report.js';

/**
 * A routing decision for tests whose routing is fixed rather than taken by
 * the rules: each agency's reason is a deployment rule's own words, as a
 * deployment file would give it.
 */
export function fixedDecision(
  agencies: { primary: string; copies: string[] },
  facts: { urgent?: boolean; withheld: boolean },
): RoutingDecision {
  const reason = { key: 'reasons.deploymentRule', params: {}, text: { en: 'the fixed routing of a test' } };
  return {
    urgent: facts.urgent ?? false,
    withheld: facts.withheld,
    primary: { agencyId: agencies.primary, role: 'primary', reason },
    copies: agencies.copies.map((agencyId) => ({ agencyId, role: 'copy', reason })),
  };
}
