import type { DeliveryMethod, RoutingPlan } from '../routing/routing-plan.js';

/** Where a case stands before an amendment: its agencies and every delivery made or planned. */
export interface RoutingOnCase {
  agencies: Array<{ agencyId: string; role: string }>;
  deliveries: Array<{ agencyId: string; method: DeliveryMethod; status: string }>;
  /** False when a person corrected the routing: the rules then no longer add agencies on their own. */
  plannedByRules: boolean;
}

export type AmendmentDeliveryEvent = 'routed' | 'updated';

export interface AmendmentRouting {
  /** Agencies the amended case is newly due at, joining it now. */
  added: Array<{ agencyId: string; role: 'primary' | 'copy' }>;
  /** Agencies on the case the rules would no longer choose: kept, and flagged for staff. */
  noLongerDue: string[];
  /** Agencies the rules now choose that a person's routing left out: not added, flagged for staff. */
  dueAfterCorrection: string[];
  /** What to send: the case to an agency that never had it, an update to one that did. */
  deliveries: Array<{ agencyId: string; method: DeliveryMethod; event: AmendmentDeliveryEvent }>;
}

/**
 * What an amendment does to a case's routing, given the plan the rules make
 * for the amended report. Routing only grows: an agency already on the case
 * stays on it whatever the new plan says (an agency that acted on a case
 * must not lose it because a detail changed), and the difference is left to
 * staff. A delivery still waiting in the outbox is built from the case when
 * it is sent, so it already carries the amendment; nothing is added beside it.
 */
export function amendmentRouting(onCase: RoutingOnCase, plan: RoutingPlan): AmendmentRouting {
  const onCaseIds = new Set(onCase.agencies.map((agency) => agency.agencyId));
  const plannedIds = new Set(plan.agencies.map((agency) => agency.agencyId));
  const newlyDue = plan.agencies.filter((agency) => !onCaseIds.has(agency.agencyId));
  const hasPrimary = onCase.agencies.some((agency) => agency.role === 'primary');
  const added = onCase.plannedByRules
    ? newlyDue.map((agency) => ({
        agencyId: agency.agencyId,
        // One primary per case: a newly due primary joins one that already leads it as a copy.
        role: agency.role === 'primary' && hasPrimary ? ('copy' as const) : agency.role,
      }))
    : [];
  const dueAfterCorrection = onCase.plannedByRules ? [] : newlyDue.map((agency) => agency.agencyId);
  const noLongerDue = onCase.agencies.map((agency) => agency.agencyId).filter((agencyId) => !plannedIds.has(agencyId));

  const deliveries: AmendmentRouting['deliveries'] = [];
  if (!plan.withheld) {
    const informed = [...onCase.agencies.map((agency) => agency.agencyId), ...added.map((agency) => agency.agencyId)];
    for (const agencyId of informed) {
      const earlier = onCase.deliveries.filter(
        (delivery) => delivery.agencyId === agencyId && delivery.status !== 'cancelled',
      );
      // The means the agency set up now, and those it was reached by before (an agency kept but no longer due).
      const methods = new Set<DeliveryMethod>([
        ...plan.deliveries.filter((delivery) => delivery.agencyId === agencyId).map((delivery) => delivery.method),
        ...earlier.map((delivery) => delivery.method),
      ]);
      for (const method of methods) {
        const byMethod = earlier.filter((delivery) => delivery.method === method);
        if (byMethod.some((delivery) => delivery.status === 'pending')) continue;
        deliveries.push({ agencyId, method, event: byMethod.length > 0 ? 'updated' : 'routed' });
      }
    }
  }
  return { added, noLongerDue, dueAfterCorrection, deliveries };
}
