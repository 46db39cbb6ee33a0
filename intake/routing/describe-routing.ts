import type { i18n, TFunction } from 'i18next';
import { agencyName, countryName } from './display-names.js';
import type { AgencyDirectory } from './load-agency-directory.js';
import type { RoutedAgency, RoutingDecision } from './route-report.js';

/**
 * Who reads a routing: the person who reported ("your report went to … because
 * you are …"), or the hotline staff and the agencies working the case, who
 * read the same facts in the third person.
 */
export const routingReaders = ['reporter', 'staff', 'agency'] as const;
export type RoutingReader = (typeof routingReaders)[number];

export interface RoutingAudience {
  reader: RoutingReader;
  language: string;
}

/** What the sentences are made from: the directory names the agencies, i18n words them. */
export interface RoutingWording {
  directory: AgencyDirectory;
  i18n: Pick<i18n, 'getFixedT'>;
}

/** A describer bound to the deployment's directory and texts, as the portal and the intake are given it. */
export type DescribeRouting = (decision: RoutingDecision, audience: RoutingAudience) => string[];

/** The routing namespace's keys each reader's sentences come from. */
const wordingFor = {
  reporter: {
    reasons: 'reasons',
    primary: 'explain.primary',
    copy: 'explain.copy',
    noAgency: 'explain.noAgency',
    withheld: 'explain.withheld',
    urgent: 'explain.urgent',
  },
  staff: {
    reasons: 'caseReasons',
    primary: 'caseLines.primary',
    copy: 'caseLines.copy',
    noAgency: 'caseLines.staff.noAgency',
    withheld: 'caseLines.staff.withheld',
    urgent: 'caseLines.urgent',
  },
  agency: {
    reasons: 'caseReasons',
    primary: 'caseLines.primary',
    copy: 'caseLines.copy',
    noAgency: 'caseLines.agency.noAgency',
    withheld: 'caseLines.agency.withheld',
    urgent: 'caseLines.urgent',
  },
} as const satisfies Record<RoutingReader, Record<string, string>>;

/**
 * Why an agency got the case, in the reader's words. A decision names its
 * reason by the reporter's key (`reasons.primaryHeldWhere`); the case
 * readers' sentence has the same name in their section. A deployment rule's
 * own words are the reporter's reason as they stand, and quoted in a
 * sentence that says whose rule it is for the case readers.
 */
function reasonOf(routed: RoutedAgency, reader: RoutingReader, t: TFunction, language: string): string {
  const { reason } = routed;
  const ownWords = reason.text ? (reason.text[language] ?? reason.text.en ?? '') : undefined;
  if (reader === 'reporter' && ownWords !== undefined) return ownWords;
  const params: Record<string, string> = { ...reason.params };
  if (params.country) params.country = countryName(params.country, language);
  if (ownWords !== undefined) params.rule = ownWords;
  const name = reason.key.startsWith('reasons.') ? reason.key.slice('reasons.'.length) : reason.key;
  return t(`${wordingFor[reader].reasons}.${name}`, params);
}

/**
 * A routing decision in sentences for one reader, in their language: the
 * main agency and each one informed, with the reason for each, then whether
 * nothing is sent (no consent) and whether the case is urgent. E.g. for the
 * reporter "Main contact: Cambodian National Police, because you are held in
 * Sihanoukville, Cambodia, …", for staff and agencies "Main agency: Cambodian
 * National Police. The victim is held in Sihanoukville, Cambodia, …".
 */
export function describeRouting(
  decision: RoutingDecision,
  audience: RoutingAudience,
  wording: RoutingWording,
): string[] {
  const { reader, language } = audience;
  const keys = wordingFor[reader];
  const t = wording.i18n.getFixedT(language, 'routing');
  const line = (routed: RoutedAgency) =>
    t(routed.role === 'primary' ? keys.primary : keys.copy, {
      agency: agencyName(wording.directory, routed.agencyId, language),
      reason: reasonOf(routed, reader, t, language),
    });
  const lines = [...(decision.primary ? [line(decision.primary)] : []), ...decision.copies.map(line)];
  if (lines.length === 0) lines.push(t(keys.noAgency));
  if (decision.withheld) lines.push(t(keys.withheld));
  if (decision.urgent) lines.push(t(keys.urgent));
  return lines;
}
