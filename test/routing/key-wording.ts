import type { i18n } from 'i18next';
import type { RoutingWording } from '../../intake/routing/describe-routing.js';
import type { AgencyDirectory } from '../../intake/routing/load-agency-directory.js';

/**
 * Wording whose sentences are their keys and parameters, e.g.
 * `caseLines.primary(agency=INTERPOL; reason=caseReasons.copyInterpol)`: a
 * test sees which texts each reader gets without depending on their copy.
 */
export function keyWording(directory: AgencyDirectory): RoutingWording {
  const t = (key: string, params?: Record<string, string>) => {
    const entries = Object.entries(params ?? {}).sort(([a], [b]) => a.localeCompare(b));
    return entries.length === 0 ? key : `${key}(${entries.map(([name, value]) => `${name}=${value}`).join('; ')})`;
  };
  return { directory, i18n: { getFixedT: (() => t) as unknown as i18n['getFixedT'] } };
}
