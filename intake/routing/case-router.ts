import type { CaseRouter, DeliveryMethod, RoutingPlan } from './routing-plan.js';
import type { AgencyDirectory } from './load-agency-directory.js';
import { routeReport, type RoutingDecision } from './route-report.js';

/**
 * A routing decision as a plan the store keeps with the report: the
 * agencies the case goes to, and a delivery for each means of delivery the
 * agency set up (every agency can also read its cases in its inbox and
 * through the pull API, which need no delivery).
 */
export function planRouting(decision: RoutingDecision, directory: AgencyDirectory): RoutingPlan {
  const routed = [...(decision.primary ? [decision.primary] : []), ...decision.copies];
  const deliveries: Array<{ agencyId: string; method: DeliveryMethod }> = [];
  for (const { agencyId } of routed) {
    const delivery = directory.agencies.get(agencyId)?.delivery;
    if (delivery?.webhook) deliveries.push({ agencyId, method: 'webhook' });
    if (delivery?.email) deliveries.push({ agencyId, method: 'email' });
  }
  return {
    decision,
    withheld: decision.withheld,
    agencies: routed.map(({ agencyId, role }) => ({ agencyId, role })),
    deliveries: decision.withheld ? [] : deliveries,
  };
}

/** Routes each new report by the rules and the directory. */
export function createCaseRouter(directory: AgencyDirectory): CaseRouter {
  return (content) => planRouting(routeReport(content, directory), directory);
}
