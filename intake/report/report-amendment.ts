import { z } from 'zod';
import { languageCodes } from '../i18n/languages.js';
import { canonicalJson } from './canonical-json.js';
import {
  compoundSchema,
  consentSchema,
  earlierReportSchema,
  evidenceSchema,
  incidentSchema,
  lossesSchema,
  reporterRoles,
  reporterSchema,
  safetySchema,
  screeningSchema,
  suspectsSchema,
  traffickingSchema,
  victimSchema,
  type ReportContent,
} from './report-schema.js';
import { ReportValidationError, toValidationIssues } from './validate-report.js';

/**
 * What an amendment may say: the report model with every field optional.
 * The field rules are the report schema's own; only `channel`, where the
 * report first came from, is not amended.
 */
export const reportAmendmentSchema = z.strictObject({
  language: z.enum(languageCodes).optional(),
  reporterRole: z.enum(reporterRoles).optional(),
  consent: consentSchema.partial().optional(),
  reporter: reporterSchema.partial().optional(),
  safety: safetySchema.partial().optional(),
  victim: victimSchema.partial().optional(),
  incident: incidentSchema.partial().optional(),
  losses: lossesSchema.partial().optional(),
  suspects: suspectsSchema.partial().extend({ compound: compoundSchema.partial().optional() }).optional(),
  trafficking: traffickingSchema.partial().optional(),
  screening: screeningSchema.partial().optional(),
  evidence: z.array(evidenceSchema).max(100).optional(),
  earlierReports: z.array(earlierReportSchema).max(20).optional(),
});

export type ReportAmendmentInput = z.input<typeof reportAmendmentSchema>;
/** A validated amendment: only the fields the sender named. */
export type ReportAmendment = z.output<typeof reportAmendmentSchema>;

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The schema fills defaults (an empty list, `contactBack: false`) for fields
 * the sender never named; an amendment must not "change" those, so only what
 * the sender wrote is kept, in its validated form.
 */
function namedOnly(parsed: Json, raw: Json): Json {
  const kept: Json = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (raw[key] === undefined) continue;
    kept[key] = isObject(value) && isObject(raw[key]) ? namedOnly(value, raw[key]) : value;
  }
  return kept;
}

/** Validates an amendment with the report's own field rules; issues name the amendment's field paths. */
export function parseReportAmendment(input: unknown): ReportAmendment {
  const result = reportAmendmentSchema.safeParse(input);
  if (!result.success) throw new ReportValidationError(toValidationIssues(result.error));
  return namedOnly(result.data, input as Json) as ReportAmendment;
}

/** Values that only mean something together, replaced as one (a latitude without its longitude is wrong). */
const wholeValues = new Set(['victim.coordinates']);

/** One file is one piece of evidence whatever it was called; every other list item is itself. */
const itemIdentity = (path: string, item: unknown): string =>
  path === 'evidence' && isObject(item) && typeof item.sha256 === 'string' ? item.sha256 : canonicalJson(item);

export interface MergedReport {
  content: ReportContent;
  /**
   * Each field path whose value the amendment changed, in the report's order: `suspects.phones`,
   * `victim.currentCountry`.
   */
  changedFields: string[];
}

function mergeInto(target: Json, changes: Json, prefix: string, changed: string[]): Json {
  const merged: Json = { ...target };
  for (const [key, value] of Object.entries(changes)) {
    const path = prefix ? `${prefix}.${key}` : key;
    const before = target[key];
    if (Array.isArray(value)) {
      // Lists grow: what was said before stays, and a value said again is not repeated.
      const list = Array.isArray(before) ? [...(before as unknown[])] : [];
      const seen = new Set(list.map((item) => itemIdentity(path, item)));
      for (const item of value) {
        const identity = itemIdentity(path, item);
        if (seen.has(identity)) continue;
        seen.add(identity);
        list.push(item);
      }
      if (list.length !== (Array.isArray(before) ? before.length : 0)) changed.push(path);
      merged[key] = list;
    } else if (isObject(value) && !wholeValues.has(path)) {
      merged[key] = mergeInto(isObject(before) ? before : {}, value, path, changed);
    } else {
      if (canonicalJson(before) !== canonicalJson(value)) changed.push(path);
      merged[key] = value;
    }
  }
  return merged;
}

/**
 * A stored report with an amendment merged in, field by field: a value
 * replaces the one before it, a list gets the new items appended (each item
 * once), a section is merged field by field. The result still has to pass
 * the report schema as a whole (a list may not outgrow its limit).
 */
export function mergeAmendment(content: ReportContent, amendment: ReportAmendment): MergedReport {
  const changedFields: string[] = [];
  const merged = mergeInto(content as unknown as Json, amendment as Json, '', changedFields);
  return { content: merged as unknown as ReportContent, changedFields };
}
