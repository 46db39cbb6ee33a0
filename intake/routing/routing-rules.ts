import type { IncidentCategory } from '../report/report-schema.js';
import type { AgencyRole } from './directory-schema.js';

/** The countries a report speaks of, each a place an agency may act. */
export type CountryFact = 'currentCountry' | 'compoundCountry' | 'nationality' | 'residenceCountry' | 'moneyCountry';

export interface RuleCondition {
  urgent?: boolean;
  categories?: IncidentCategory[];
  /** The person is outside their own country. */
  abroad?: boolean;
  /** The case involves at least two countries of ASEAN. */
  acrossAsean?: boolean;
  /** Someone is held, and the case reaches beyond ASEAN. */
  heldAcrossRegions?: boolean;
  /** The screening marks a likely trafficking victim (`intake/report/trafficking-screening.ts`). */
  likelyTrafficking?: boolean;
  /** The person is not known to be in their own country: where they are held is unknown or another country. */
  notKnownAtHome?: boolean;
}

export type RuleTarget =
  | { role: Exclude<AgencyRole, 'consular' | 'international'>; of: CountryFact }
  | { role: 'consular'; for: 'nationality' }
  | { agencyId: string };

export interface RoutingRule {
  id: string;
  role: 'primary' | 'copy';
  when: RuleCondition;
  target: RuleTarget;
  /** Key in the `routing` namespace; it receives `country` (a code) and, when known, `place`. */
  reasonKey: string;
  /** The reason to give instead when the person is held against their will. */
  reasonKeyWhenHeld?: string;
}

const fraudCategories: IncidentCategory[] = [
  'voice_phishing',
  'investment_crypto',
  'romance',
  'money_mule',
  'sextortion',
  'loan_shopping',
  'other',
];

/**
 * Where a case goes, as data. The first primary rule that finds an agency
 * decides the primary; every copy rule that finds one adds a copy.
 *
 * Someone in danger or held is helped first where they are: the police there
 * lead. Otherwise people report to the police at home, who take such reports
 * and work with the countries the scam runs from. The person's own country
 * always hears of a national in trouble abroad, and its consular service is
 * told so it can help.
 */
export const routingRules: readonly RoutingRule[] = [
  {
    id: 'primary-where-held',
    role: 'primary',
    when: { urgent: true },
    target: { role: 'police', of: 'currentCountry' },
    reasonKey: 'reasons.primaryInDangerWhere',
    reasonKeyWhenHeld: 'reasons.primaryHeldWhere',
  },
  {
    id: 'primary-compound',
    role: 'primary',
    when: { urgent: true },
    target: { role: 'police', of: 'compoundCountry' },
    reasonKey: 'reasons.primaryHeldInCompound',
  },
  {
    id: 'primary-home',
    role: 'primary',
    when: {},
    target: { role: 'police', of: 'residenceCountry' },
    reasonKey: 'reasons.primaryLivesIn',
  },
  {
    id: 'primary-where-now',
    role: 'primary',
    when: {},
    target: { role: 'police', of: 'currentCountry' },
    reasonKey: 'reasons.primaryIsIn',
  },
  {
    id: 'primary-nationality',
    role: 'primary',
    when: {},
    target: { role: 'police', of: 'nationality' },
    reasonKey: 'reasons.primaryNational',
  },
  {
    id: 'primary-suspects',
    role: 'primary',
    when: {},
    target: { role: 'police', of: 'compoundCountry' },
    reasonKey: 'reasons.primarySuspectsIn',
  },
  {
    id: 'primary-money',
    role: 'primary',
    when: {},
    target: { role: 'police', of: 'moneyCountry' },
    reasonKey: 'reasons.primaryMoneyWentTo',
  },

  {
    id: 'copy-national-police',
    role: 'copy',
    when: {},
    target: { role: 'police', of: 'nationality' },
    reasonKey: 'reasons.copyNational',
  },
  {
    id: 'copy-consular',
    role: 'copy',
    when: { abroad: true },
    target: { role: 'consular', for: 'nationality' },
    reasonKey: 'reasons.copyConsular',
  },
  {
    id: 'copy-where-now',
    role: 'copy',
    when: {},
    target: { role: 'police', of: 'currentCountry' },
    reasonKey: 'reasons.copyIsIn',
  },
  {
    id: 'copy-compound',
    role: 'copy',
    when: {},
    target: { role: 'police', of: 'compoundCountry' },
    reasonKey: 'reasons.copySuspectsIn',
  },
  {
    id: 'copy-money',
    role: 'copy',
    when: {},
    target: { role: 'police', of: 'moneyCountry' },
    reasonKey: 'reasons.copyMoneyWentTo',
  },
  {
    id: 'copy-trafficking-held',
    role: 'copy',
    when: { urgent: true },
    target: { role: 'trafficking', of: 'currentCountry' },
    reasonKey: 'reasons.copyTrafficking',
  },
  {
    id: 'copy-trafficking-job',
    role: 'copy',
    when: { categories: ['fake_job_compound'] },
    target: { role: 'trafficking', of: 'currentCountry' },
    reasonKey: 'reasons.copyTrafficking',
  },
  // A likely trafficking victim (the screening's rule): the anti-trafficking unit of the country they are held in,
  // wherever they are and whatever the category, and the consular help of their nationality when they are not
  // known to be at home. After the rules above, so an agency they already chose keeps its reason.
  {
    id: 'copy-trafficking-screened',
    role: 'copy',
    when: { likelyTrafficking: true },
    target: { role: 'trafficking', of: 'currentCountry' },
    reasonKey: 'reasons.copyTraffickingScreened',
  },
  {
    id: 'copy-trafficking-screened-compound',
    role: 'copy',
    when: { likelyTrafficking: true },
    target: { role: 'trafficking', of: 'compoundCountry' },
    reasonKey: 'reasons.copyTraffickingScreened',
  },
  {
    id: 'copy-consular-screened',
    role: 'copy',
    when: { likelyTrafficking: true, notKnownAtHome: true },
    target: { role: 'consular', for: 'nationality' },
    reasonKey: 'reasons.copyConsularScreened',
  },
  {
    id: 'copy-scam-centre-home',
    role: 'copy',
    when: { categories: fraudCategories },
    target: { role: 'scam', of: 'residenceCountry' },
    reasonKey: 'reasons.copyScamCentre',
  },
  {
    id: 'copy-scam-centre-here',
    role: 'copy',
    when: { categories: fraudCategories },
    target: { role: 'scam', of: 'currentCountry' },
    reasonKey: 'reasons.copyScamCentre',
  },
  {
    id: 'copy-aseanapol',
    role: 'copy',
    when: { acrossAsean: true },
    target: { agencyId: 'aseanapol' },
    reasonKey: 'reasons.copyAseanapol',
  },
  {
    id: 'copy-interpol',
    role: 'copy',
    when: { heldAcrossRegions: true },
    target: { agencyId: 'interpol' },
    reasonKey: 'reasons.copyInterpol',
  },
];
