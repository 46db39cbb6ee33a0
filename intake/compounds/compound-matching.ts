import type { ReportContent } from '../report/report-schema.js';
import { distanceMeters, type GeoPoint } from './compound-distance.js';
import { containsName, nameForms, searchableText, type SearchableText } from './compound-names.js';

/** Why a compound was proposed for a case, strongest first. */
export const proposalReasons = ['location', 'name', 'shared_indicator'] as const;
export type ProposalReason = (typeof proposalReasons)[number];

/** A compound as the matcher looks for it: where it is, and every name it goes by in matching form. */
export interface MatchableCompound {
  id: string;
  point: GeoPoint | null;
  names: Array<{ written: string; forms: string[] }>;
}

export function matchableCompound(entry: {
  id: string;
  name: string;
  aliases: string[];
  latitude: number | null;
  longitude: number | null;
}): MatchableCompound {
  return {
    id: entry.id,
    point:
      entry.latitude !== null && entry.longitude !== null
        ? { latitude: entry.latitude, longitude: entry.longitude }
        : null,
    names: [entry.name, ...entry.aliases]
      .map((written) => ({ written, forms: nameForms(written) }))
      .filter((name) => name.forms.length > 0),
  };
}

/** What a proposal records of why it was made: never a personal value (a distance, the register's own name). */
export interface ProposalDetail {
  reasons: ProposalReason[];
  distanceMeters?: number;
  /** The compound's name or alias as the register writes it. */
  name?: string;
  /** The confirmed case this one shares an indicator with, and the kinds shared. */
  linkedReference?: string;
  sharedKinds?: string[];
}

export interface CompoundMatch {
  compoundId: string;
  reason: ProposalReason;
  detail: ProposalDetail;
}

/** The report's texts where a person names the place: the story and the place fields (its additions apart). */
function placeTexts(content: ReportContent): SearchableText[] {
  const texts = [
    content.incident.narrative,
    content.victim.currentPlace,
    content.suspects.compound?.name,
    content.suspects.compound?.place,
    content.trafficking.destination,
  ];
  return texts.filter((text): text is string => typeof text === 'string' && text.trim() !== '').map(searchableText);
}

/** A report read once for matching against many compounds. */
export interface MatchableReport {
  point: GeoPoint | null;
  texts: SearchableText[];
}

/**
 * A report as matching reads it: its location, its place texts, and what the
 * reporter added later in their own words (`additions`: "they moved us to KK
 * Park" is kept as an addition, not in the report's fields).
 */
export function matchableReport(content: ReportContent, additions: readonly string[] = []): MatchableReport {
  const added = additions.filter((text) => text.trim() !== '').map(searchableText);
  return { point: content.victim.coordinates ?? null, texts: [...placeTexts(content), ...added] };
}

/**
 * The compounds a report points to by where the person shared their location
 * (within `radiusMeters` of the compound) or by a name of the compound in
 * their story or place fields. Shared indicators are the matcher's to add: they
 * need the other reports.
 */
export function matchReport(
  report: MatchableReport,
  compounds: readonly MatchableCompound[],
  radiusMeters: number,
): CompoundMatch[] {
  const matches: CompoundMatch[] = [];
  for (const compound of compounds) {
    const detail: ProposalDetail = { reasons: [] };
    if (report.point && compound.point) {
      const distance = distanceMeters(report.point, compound.point);
      if (distance <= radiusMeters) {
        detail.reasons.push('location');
        detail.distanceMeters = Math.round(distance);
      }
    }
    const named = compound.names.find((name) =>
      name.forms.some((form) => report.texts.some((text) => containsName(text, form))),
    );
    if (named) {
      detail.reasons.push('name');
      detail.name = named.written;
    }
    if (detail.reasons.length > 0) matches.push({ compoundId: compound.id, reason: detail.reasons[0]!, detail });
  }
  return matches;
}
