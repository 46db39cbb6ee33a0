import type { Indicator } from '../indicators/indicator.js';
import type { ConversationDeps, ConversationState, DraftReport } from './conversation-types.js';
import { addSuspect, applyIndicators } from './draft-updates.js';

/**
 * Nothing a reporter types is thrown away. What extraction recognises goes
 * into its field; what it does not (a recruiter's name, "Hùng") is kept as
 * typed; a local number that can only be read once the country is known
 * (`090 123 4567`) waits in `unresolved` and is read again when it is.
 */

/** The country a local number is read in: only where the person is or comes from, never a country the story names. */
export function defaultCountryOf(state: ConversationState): string | undefined {
  return state.draft.victim?.currentCountry ?? state.draft.victim?.residenceCountry ?? state.draft.victim?.nationality;
}

const writtenInternationally = (original: string) => /^\s*(\+|00)/.test(original);

/**
 * Extraction reads a local number in a country the text merely mentions; the
 * conversation does not: without a country of the person's own, a number not
 * written with its country code is left for later rather than guessed.
 */
export function readIndicators(
  deps: ConversationDeps,
  text: string,
  source: string,
  country: string | undefined,
): { found: Indicator[]; waitsForCountry: boolean } {
  const all = deps.extractIndicators(text, { source, ...(country ? { defaultCountry: country } : {}) });
  if (country) return { found: all, waitsForCountry: false };
  const found = all.filter((item) => item.kind !== 'phone' || writtenInternationally(item.original));
  const rest = found.reduce((left, item) => left.replace(item.original, ' '), text);
  return { found, waitsForCountry: found.length < all.length || localNumberPattern.test(rest) };
}

/**
 * Seven digits or more, with the separators people use: a phone number written without its country. Digits of
 * any script (full-width ０９０, Arabic-Indic ٠٩٠, Burmese, Thai…) and the dashes and brackets typed with them
 * (full-width －（）．, the katakana ー, Unicode hyphens, Arabic separators), as extraction reads them too.
 */
const localNumberPattern =
  /\p{Nd}[\p{Nd}\s().\-\u00a0\u2010-\u2015\uff08\uff09\uff0d\uff0e\u30fc\u066b\u066c]{5,}\p{Nd}/u;

/** What is left of an answer once the recognised parts are taken out, as the person wrote it. */
export function leftoverText(answer: string, found: Indicator[]): string {
  let rest = answer;
  for (const item of found) rest = rest.replace(item.original, ' ');
  rest = rest.replace(new RegExp(localNumberPattern.source, 'gu'), ' ');
  return rest
    .replace(/\s+/g, ' ')
    .replace(/^[\s,;:/|.\-–—]+|[\s,;:/|.\-–—]+$/g, '')
    .trim();
}

/** A free answer about the scammers: found parts in their fields, the rest kept as a name, local numbers kept. */
export function applySuspectAnswer(
  state: ConversationState,
  answer: string,
  source: string,
  deps: ConversationDeps,
): ConversationState {
  const country = defaultCountryOf(state);
  const { found, waitsForCountry } = readIndicators(deps, answer, source, country);
  const useful = found.filter((item) => item.kind !== 'amount');
  let draft: DraftReport = applyIndicators(state.draft, useful);
  const rest = leftoverText(answer, useful);
  if (/\p{L}/u.test(rest)) draft = addSuspect(draft, 'names', rest.slice(0, 500));
  const unresolved = waitsForCountry ? [...(state.unresolved ?? []), { source, text: answer }] : state.unresolved;
  return { ...state, draft, ...(unresolved ? { unresolved: unresolved.slice(-50) } : {}) };
}

/** Once a country is known, the local numbers kept so far are read in it and go to the scammers' phones. */
export function rereadUnresolved(state: ConversationState, deps: ConversationDeps): ConversationState {
  const country = defaultCountryOf(state);
  if (!country || !state.unresolved?.length) return state;
  let draft = state.draft;
  for (const { source, text } of state.unresolved) {
    const phones = deps
      .extractIndicators(text, { source, defaultCountry: country })
      .filter((item) => item.kind === 'phone');
    draft = applyIndicators(draft, phones);
  }
  return { ...state, draft, unresolved: [] };
}
