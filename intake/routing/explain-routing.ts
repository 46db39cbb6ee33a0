import type { TFunction } from 'i18next';
import type { AgencyDirectory } from './load-agency-directory.js';
import type { RoutedAgency, RoutingDecision } from './route-report.js';

/** A country's name in the reader's language, from the platform's own CLDR data. */
export function countryName(code: string, language: string): string {
  try {
    return new Intl.DisplayNames([language, 'en'], { type: 'region' }).of(code) ?? code;
  } catch {
    return code;
  }
}

/** An agency's name for a reader: in their language when it is the agency's own, else in English. */
export function agencyName(directory: AgencyDirectory, agencyId: string, language: string): string {
  const agency = directory.agencies.get(agencyId);
  if (!agency) return agencyId;
  return agency.name.local && agency.name.localLanguage === language ? agency.name.local : agency.name.en;
}

/**
 * The routing decision in plain sentences in the reader's language, e.g.
 * "Main contact: Cambodian National Police, because you are held in
 * Sihanoukville, Cambodia."
 */
export function explainRouting(
  decision: RoutingDecision,
  directory: AgencyDirectory,
  t: TFunction,
  language: string,
): string[] {
  const line = (routed: RoutedAgency) => {
    const params = { ...routed.reason.params };
    if (params.country) params.country = countryName(params.country, language);
    const reason = routed.reason.text
      ? (routed.reason.text[language] ?? routed.reason.text.en ?? '')
      : t(routed.reason.key, params);
    return t(routed.role === 'primary' ? 'explain.primary' : 'explain.copy', {
      agency: agencyName(directory, routed.agencyId, language),
      reason,
    });
  };
  const lines = [...(decision.primary ? [line(decision.primary)] : []), ...decision.copies.map(line)];
  if (lines.length === 0) lines.push(t('explain.noAgency'));
  if (decision.withheld) lines.push(t('explain.withheld'));
  if (decision.urgent) lines.push(t('explain.urgent'));
  return lines;
}
