import type { Indicator } from '../indicators/indicator.js';
import { suspectEntryFor, type SuspectList } from '../report/indicator-fields.js';
import type { DraftReport } from './conversation-types.js';

/**
 * Small pure updates of a draft report. Each returns a new draft; sections the
 * reporter has not reached stay absent, so the report model's defaults apply.
 */
type Draft = DraftReport;
type Section<K extends keyof Draft> = NonNullable<Draft[K]>;

export function patchSection<K extends 'safety' | 'victim' | 'incident' | 'trafficking' | 'consent' | 'losses'>(
  draft: Draft,
  section: K,
  patch: Partial<Section<K>>,
): Draft {
  return { ...draft, [section]: { ...(draft[section] as object | undefined), ...patch } } as Draft;
}

/** A report holds 50 entries per list of the scammers' details (the report schema's limit). */
const maxListEntries = 50;

export function addSuspect(draft: Draft, list: SuspectList, value: string): Draft {
  const suspects = { ...draft.suspects };
  const current = suspects[list] ?? [];
  if (current.includes(value)) return draft;
  if (current.length >= maxListEntries) {
    // A full list would make the report invalid: the entry is kept in the story instead, so it is not lost.
    const narrative = [draft.incident?.narrative, value].filter(Boolean).join('\n').slice(0, 20_000);
    return { ...draft, incident: { ...draft.incident, narrative } };
  }
  return { ...draft, suspects: { ...suspects, [list]: [...current, value] } };
}

export function setCompound(draft: Draft, patch: { place?: string; country?: string }): Draft {
  return { ...draft, suspects: { ...draft.suspects, compound: { ...draft.suspects?.compound, ...patch } } };
}

export function addPayment(draft: Draft, amount: number, currency: string): Draft {
  const payments = draft.losses?.payments ?? [];
  return { ...draft, losses: { ...draft.losses, payments: [...payments, { amount, currency }] } };
}

/** Puts what extraction found in a free answer into the suspects' and losses' fields. */
export function applyIndicators(draft: Draft, indicators: Indicator[]): Draft {
  let next = draft;
  for (const indicator of indicators) {
    if (indicator.kind === 'amount') {
      const [amount, currency] = indicator.value.split(' ');
      if (amount && currency) next = addPayment(next, Number(amount), currency);
      continue;
    }
    // A site is listed once, whether its link or only its name was found.
    if (indicator.kind === 'domain' && (next.suspects?.websites ?? []).some((site) => site.includes(indicator.value)))
      continue;
    const entry = suspectEntryFor(indicator);
    if (entry) next = addSuspect(next, entry.list, entry.value);
  }
  return next;
}
