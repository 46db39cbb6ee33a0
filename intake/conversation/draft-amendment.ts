import { canonicalJson } from '../report/canonical-json.js';
import type { ReportAmendmentInput } from '../report/report-amendment.js';
import type { DraftReport } from './conversation-types.js';

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Sections and fields an answer can change; `channel` stays where the report first came from. */
const amendable = [
  'language',
  'reporterRole',
  'consent',
  'reporter',
  'safety',
  'victim',
  'incident',
  'losses',
  'suspects',
  'trafficking',
  'screening',
  'evidence',
] as const;

/** Values replaced as one: the amend operation takes coordinates whole. */
const wholeValues = new Set(['victim.coordinates']);

function changesIn(before: unknown, after: unknown, path: string): unknown {
  if (Array.isArray(after)) {
    // Lists only grow in an amendment: the items the answer added.
    const seen = new Set((Array.isArray(before) ? before : []).map((item) => canonicalJson(item)));
    const added = after.filter((item) => !seen.has(canonicalJson(item)));
    return added.length > 0 ? added : undefined;
  }
  if (isObject(after) && !wholeValues.has(path)) {
    const changed: Json = {};
    for (const [key, value] of Object.entries(after)) {
      const change = changesIn(isObject(before) ? before[key] : undefined, value, `${path}.${key}`);
      if (change !== undefined) changed[key] = change;
    }
    return Object.keys(changed).length > 0 ? changed : undefined;
  }
  if (after === undefined || canonicalJson(before) === canonicalJson(after)) return undefined;
  return after;
}

/**
 * What an answer changed in the draft, as an amendment of the stored report:
 * structured fields (a phone in `suspects.phones`, a place in
 * `suspects.compound.place`), so the stored report is indexed, linked and
 * routed by them, not given a paragraph of free text.
 */
export function amendmentBetween(before: DraftReport, after: DraftReport): ReportAmendmentInput {
  const changes: Json = {};
  for (const field of amendable) {
    const change = changesIn(before[field], after[field], field);
    if (change !== undefined) changes[field] = change;
  }
  return changes as ReportAmendmentInput;
}

/** Whether `after` dropped an item of a list `before` had: an amendment only adds to lists, so it cannot say that. */
export function droppedListItems(before: unknown, after: unknown): unknown[] {
  if (Array.isArray(before)) {
    const kept = new Set((Array.isArray(after) ? after : []).map((item) => canonicalJson(item)));
    return before.filter((item) => !kept.has(canonicalJson(item)));
  }
  if (isObject(before))
    return Object.entries(before).flatMap(([key, value]) =>
      droppedListItems(value, isObject(after) ? after[key] : undefined),
    );
  return [];
}

export function dropsListItems(before: unknown, after: unknown): boolean {
  if (Array.isArray(before)) {
    const kept = new Set((Array.isArray(after) ? after : []).map((item) => canonicalJson(item)));
    return before.some((item) => !kept.has(canonicalJson(item)));
  }
  if (isObject(before))
    return Object.entries(before).some(([key, value]) =>
      dropsListItems(value, isObject(after) ? after[key] : undefined),
    );
  return false;
}
