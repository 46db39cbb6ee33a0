import { bankSlugIn } from '../indicators/bank-account.js';
import { countryOfBank } from '../indicators/banks.js';
import { isUrgent, type ReportContent } from '../report/report-schema.js';
import { assessTrafficking } from '../report/trafficking-screening.js';
import type { Agency } from './directory-schema.js';
import type { AgencyDirectory } from './load-agency-directory.js';
import {
  routingRules,
  type CountryFact,
  type RoutingRule,
  type RuleCondition,
  type RuleTarget,
} from './routing-rules.js';

export interface RoutingReason {
  key: string;
  params: Record<string, string>;
  /** A deployment rule's own words, per language, instead of a key. */
  text?: Record<string, string>;
}

export interface RoutedAgency {
  agencyId: string;
  role: 'primary' | 'copy';
  reason: RoutingReason;
}

export interface RoutingDecision {
  urgent: boolean;
  /** No consent to share: where it would go is known, but nothing is delivered. */
  withheld: boolean;
  primary?: RoutedAgency;
  copies: RoutedAgency[];
}

const aseanMembers = new Set(['BN', 'KH', 'ID', 'LA', 'MY', 'MM', 'PH', 'SG', 'TH', 'VN']);

/** The facts about a report the rules look at. */
interface CaseFacts {
  countries: Partial<Record<CountryFact, string>>;
  place: string | undefined;
  urgent: boolean;
  held: boolean;
  category: ReportContent['incident']['category'];
  likelyTrafficking: boolean;
}

/** The country the money went to: the bank of a local account a payment went to, if one is named. */
function moneyCountry(report: ReportContent): string | undefined {
  for (const payment of report.losses.payments) {
    const slug = payment.toAccount ? bankSlugIn(payment.toAccount) : undefined;
    const country = slug ? countryOfBank(slug) : undefined;
    if (country) return country;
  }
  return undefined;
}

function factsOf(report: ReportContent): CaseFacts {
  const countries: Partial<Record<CountryFact, string>> = {
    currentCountry: report.victim.currentCountry,
    compoundCountry: report.suspects.compound?.country,
    nationality: report.victim.nationality,
    residenceCountry: report.victim.residenceCountry,
    moneyCountry: moneyCountry(report),
  };
  return {
    countries: Object.fromEntries(Object.entries(countries).filter(([, code]) => code !== undefined)),
    place: report.suspects.compound?.place ?? report.victim.currentPlace,
    urgent: isUrgent(report),
    held: report.safety.heldAgainstWill === true,
    category: report.incident.category,
    likelyTrafficking: assessTrafficking(report).likelyVictim,
  };
}

function conditionHolds(condition: RuleCondition, facts: CaseFacts): boolean {
  const involved = new Set(Object.values(facts.countries));
  if (condition.urgent !== undefined && condition.urgent !== facts.urgent) return false;
  if (condition.categories && (!facts.category || !condition.categories.includes(facts.category))) return false;
  if (condition.abroad !== undefined) {
    const { currentCountry, nationality } = facts.countries;
    const abroad = currentCountry !== undefined && nationality !== undefined && currentCountry !== nationality;
    if (abroad !== condition.abroad) return false;
  }
  if (condition.likelyTrafficking !== undefined && condition.likelyTrafficking !== facts.likelyTrafficking)
    return false;
  if (condition.notKnownAtHome) {
    const { currentCountry, compoundCountry, nationality } = facts.countries;
    const heldIn = currentCountry ?? compoundCountry;
    if (nationality === undefined || heldIn === nationality) return false;
  }
  if (condition.acrossAsean && [...involved].filter((code) => aseanMembers.has(code)).length < 2) return false;
  if (condition.heldAcrossRegions) {
    const codes = [...involved];
    if (
      !facts.urgent ||
      !codes.some((code) => aseanMembers.has(code)) ||
      !codes.some((code) => !aseanMembers.has(code))
    )
      return false;
  }
  return true;
}

function resolveTarget(
  target: RuleTarget,
  facts: CaseFacts,
  directory: AgencyDirectory,
): { agency: Agency; country?: string } | undefined {
  if ('agencyId' in target) {
    const agency = directory.agencies.get(target.agencyId);
    return agency ? { agency } : undefined;
  }
  if (target.role === 'consular') {
    const nationality = facts.countries.nationality;
    const agency = nationality ? directory.consularFor(nationality) : undefined;
    return agency && nationality ? { agency, country: nationality } : undefined;
  }
  const country = facts.countries[target.of];
  const agency = country ? directory.byRole(country, target.role) : undefined;
  return agency && country ? { agency, country } : undefined;
}

function reasonFor(rule: RoutingRule, country: string | undefined, facts: CaseFacts): RoutingReason {
  const params: Record<string, string> = {};
  if (country) params.country = country;
  const placeNamed = facts.place !== undefined && (rule.id === 'primary-where-held' || rule.id === 'primary-compound');
  if (placeNamed) params.place = facts.place!;
  const key = facts.held && rule.reasonKeyWhenHeld ? rule.reasonKeyWhenHeld : rule.reasonKey;
  return { key: placeNamed ? `${key}Place` : key, params };
}

/**
 * Decides where a report goes: a primary agency and copies, each with its
 * reason, from where the person is, their nationality and home, the
 * category, danger, where the money went and where the suspects are.
 */
export function routeReport(report: ReportContent, directory: AgencyDirectory): RoutingDecision {
  const facts = factsOf(report);
  const decision: RoutingDecision = {
    urgent: facts.urgent,
    withheld: !report.consent.shareWithLawEnforcement,
    copies: [],
  };
  const chosen = new Set<string>();
  for (const rule of routingRules) {
    if (rule.role === 'primary' && decision.primary) continue;
    if (!conditionHolds(rule.when, facts)) continue;
    const resolved = resolveTarget(rule.target, facts, directory);
    if (!resolved || chosen.has(resolved.agency.id)) continue;
    const routed: RoutedAgency = {
      agencyId: resolved.agency.id,
      role: rule.role,
      reason: reasonFor(rule, resolved.country, facts),
    };
    // Copies are only decided once the primary is known, so a copy never repeats it.
    if (rule.role === 'copy' && !decision.primary) continue;
    chosen.add(resolved.agency.id);
    if (rule.role === 'primary') decision.primary = routed;
    else decision.copies.push(routed);
  }
  for (const rule of directory.rules) {
    const { when } = rule;
    const matches =
      (!when.categories || (facts.category !== undefined && when.categories.includes(facts.category))) &&
      (when.currentCountry === undefined || when.currentCountry === facts.countries.currentCountry) &&
      (when.nationality === undefined || when.nationality === facts.countries.nationality) &&
      (when.residenceCountry === undefined || when.residenceCountry === facts.countries.residenceCountry) &&
      (when.compoundCountry === undefined || when.compoundCountry === facts.countries.compoundCountry) &&
      (when.urgent === undefined || when.urgent === facts.urgent);
    if (!matches || chosen.has(rule.copy)) continue;
    chosen.add(rule.copy);
    decision.copies.push({
      agencyId: rule.copy,
      role: 'copy',
      reason: { key: 'reasons.deploymentRule', params: {}, text: rule.reason },
    });
  }
  return decision;
}
