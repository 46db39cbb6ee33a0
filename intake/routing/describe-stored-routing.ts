import { describeRouting, type RoutingAudience, type RoutingWording } from './describe-routing.js';
import type { RoutingStore } from './routing-store.js';

/** Where a stored report went and why, for one reader; nothing for a report not routed. */
export async function describeStoredRouting(
  routing: Pick<RoutingStore, 'getRouting'>,
  reportId: string,
  audience: RoutingAudience,
  wording: RoutingWording,
): Promise<string[]> {
  const stored = await routing.getRouting(reportId);
  return stored ? describeRouting(stored.decision, audience, wording) : [];
}
