import { screeningIndicators, type ReportContent, type ScreeningIndicator } from './report-schema.js';

/**
 * The rule that marks a case "likely trafficking victim".
 *
 * The indicators are those of the ILO's forced-labour indicators that a
 * person held or recruited abroad can answer in one look (ILO, "Indicators of
 * forced labour", 2012; the strong/medium weighting follows the ILO and
 * European Commission's "Operational indicators of trafficking in human
 * beings", 2009, where retention of documents, confinement and violence or
 * threats are strong signs of coercion):
 *
 * - strong: documents taken, not free to leave, threats or violence;
 * - medium: a debt to the employer, being forced to scam others, wages
 *   withheld (each alone can be a hard job or a labour dispute).
 *
 * A case is likely a trafficking victim's with **one strong indicator or two
 * medium ones**. It is a flag for screening, not a legal finding: it tells
 * staff and agencies to treat the person as a possible victim (and, if they
 * were forced to scam, not as an offender) until someone trained decides.
 *
 * Answers given elsewhere count once, so nothing is asked twice: "my passport
 * was taken" (`safety.passportWithheld`) is the documents indicator, "I am
 * held" (`safety.heldAgainstWill`) the not-free-to-leave one.
 */
export const indicatorWeights: Readonly<Record<ScreeningIndicator, 'strong' | 'medium'>> = {
  documents_taken: 'strong',
  not_free_to_leave: 'strong',
  threats_or_violence: 'strong',
  debt_to_employer: 'medium',
  forced_to_scam: 'medium',
  wages_withheld: 'medium',
};

export interface TraffickingAssessment {
  /** One strong indicator or two medium ones matched. */
  likelyVictim: boolean;
  /** Every indicator that matched, in the screening's order. */
  matched: ScreeningIndicator[];
  /** Forced to scam: the non-punishment note matters most for this person. */
  forcedToOffend: boolean;
}

type ScreenedContent = Pick<ReportContent, 'safety' | 'screening'>;

/** The indicators already answered outside the screening (the safety questions), which it does not ask again. */
export function indicatorsAnsweredElsewhere(content: Pick<ReportContent, 'safety'>): ScreeningIndicator[] {
  const answered: ScreeningIndicator[] = [];
  if (content.safety.passportWithheld === true) answered.push('documents_taken');
  if (content.safety.heldAgainstWill === true) answered.push('not_free_to_leave');
  return answered;
}

/** The indicators that matched, from the screening's answers and the safety answers, each once. */
export function matchedIndicators(content: ScreenedContent): ScreeningIndicator[] {
  const said = new Set<ScreeningIndicator>([
    ...(content.screening?.indicators ?? []),
    ...indicatorsAnsweredElsewhere(content),
  ]);
  return screeningIndicators.filter((indicator) => said.has(indicator));
}

export function assessTrafficking(content: ScreenedContent): TraffickingAssessment {
  const matched = matchedIndicators(content);
  const strong = matched.filter((indicator) => indicatorWeights[indicator] === 'strong').length;
  const medium = matched.length - strong;
  return {
    likelyVictim: strong >= 1 || medium >= 2,
    matched,
    forcedToOffend: matched.includes('forced_to_scam'),
  };
}

/** The rule's name as exports and payloads give it, so a receiver knows which rule marked the case. */
export const traffickingRuleId = 'ilo-forced-labour-one-strong-or-two-medium';

/** The non-punishment principle's sources, cited with every finding (see the staff and agency pages). */
export const nonPunishmentSources = [
  'ASEAN Convention against Trafficking in Persons, Especially Women and Children, art. 14(7)',
  'OHCHR Recommended Principles and Guidelines on Human Rights and Human Trafficking, principle 7',
] as const;

/** What a case document, an export or a webhook says of the screening: the mark, its indicators and the principle. */
export interface TraffickingFinding {
  likelyVictim: boolean;
  indicators: ScreeningIndicator[];
  /** The person was offered the screening and skipped it. */
  skipped: boolean;
  forcedToScam: boolean;
  rule: typeof traffickingRuleId;
  /** A victim is not to be treated as an offender for what they were made to do (set when likely). */
  nonPunishment: readonly string[] | null;
}

/** The finding, or null when the screening was never offered and no indicator is known. */
export function traffickingFindingOf(content: ScreenedContent): TraffickingFinding | null {
  const assessment = assessTrafficking(content);
  if (content.screening === undefined && assessment.matched.length === 0) return null;
  return {
    likelyVictim: assessment.likelyVictim,
    indicators: assessment.matched,
    skipped: content.screening?.skipped === true,
    forcedToScam: assessment.forcedToOffend,
    rule: traffickingRuleId,
    nonPunishment: assessment.likelyVictim ? nonPunishmentSources : null,
  };
}
