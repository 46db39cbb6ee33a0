import type { i18n } from 'i18next';
import type { RoutingStore } from './routing-store.js';
import { explainRouting } from './explain-routing.js';
import type { AgencyDirectory } from './load-agency-directory.js';
import type { RoutingDecision } from './route-report.js';

/** Where a stored report went and why, in sentences for the person who reported it. */
export async function describeStoredRouting(
  routing: RoutingStore,
  directory: AgencyDirectory,
  i18n: i18n,
  reportId: string,
  language: string,
): Promise<string[]> {
  const stored = await routing.getRouting(reportId);
  if (!stored) return [];
  return explainRouting(stored.decision as RoutingDecision, directory, i18n.getFixedT(language, 'routing'), language);
}
