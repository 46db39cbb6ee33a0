/**
 * Finding a compound's name in what a person wrote, in any script: "KK Park",
 * "เคเคปาร์ค", "KK园区", "ကေကေပတ်ခ်". Both sides are brought to one form (NFKC,
 * so full-width and half-width letters read as the plain ones; lower case;
 * invisible word joiners removed; punctuation and runs of spaces as one
 * space), and a name counts only as a whole word or phrase: "Park" is not
 * found in "Parking".
 *
 * Where a word ends is what Unicode's word segmentation says (ICU's
 * dictionaries for Thai, Lao, Khmer, Burmese, Chinese and Japanese, which
 * write no spaces between words). Two exceptions, because the dictionaries do
 * not know compound names: between two Chinese characters any place may end
 * a word (ICU often joins an unknown name to its neighbour, "在妙"), and a
 * name ending in Hangul may be followed by a Korean particle ("KK파크에서").
 */

/** Characters that join or hide word breaks and carry no letter: Burmese and Thai texts use the first. */
const invisibleJoiners = /[\u200B-\u200D\u2060\uFEFF\u00AD]/g;
/** What separates words without being one: punctuation, symbols, spaces. */
const separators = /[\p{P}\p{S}\p{Z}\s]+/gu;
const han = /\p{Script=Han}/u;
const hangul = /\p{Script=Hangul}/u;

/** The one form text and names are compared in. */
export function matchingForm(text: string): string {
  return text.normalize('NFKC').replace(invisibleJoiners, '').toLowerCase().replace(separators, ' ').trim();
}

/** The forms a name is looked for in: as written, and run together ("KK Park" as "kkpark") when it has spaces. */
export function nameForms(name: string): string[] {
  const form = matchingForm(name);
  if (form.length < 2) return [];
  const together = form.replace(/ /g, '');
  return together !== form && together.length >= 4 ? [form, together] : [form];
}

/** A text in matching form with its word boundaries, to look for many names in. */
export interface SearchableText {
  form: string;
  boundaries: ReadonlySet<number>;
}

const segmenter = new Intl.Segmenter(undefined, { granularity: 'word' });

export function searchableText(text: string): SearchableText {
  const form = matchingForm(text);
  const boundaries = new Set<number>([0, form.length]);
  for (const segment of segmenter.segment(form)) {
    boundaries.add(segment.index);
    boundaries.add(segment.index + segment.segment.length);
  }
  return { form, boundaries };
}

function charBefore(text: string, index: number): string {
  const code = text.codePointAt(index - 1) ?? 0;
  // A character outside the BMP is two code units: read its first.
  return code >= 0xdc00 && code <= 0xdfff && index >= 2
    ? String.fromCodePoint(text.codePointAt(index - 2)!)
    : text.charAt(index - 1);
}

function charAt(text: string, index: number): string {
  return String.fromCodePoint(text.codePointAt(index) ?? 0);
}

function startsWord(text: SearchableText, index: number): boolean {
  if (text.boundaries.has(index)) return true;
  return han.test(charBefore(text.form, index)) && han.test(charAt(text.form, index));
}

function endsWord(text: SearchableText, index: number): boolean {
  if (text.boundaries.has(index)) return true;
  const before = charBefore(text.form, index);
  const after = charAt(text.form, index);
  if (han.test(before) && han.test(after)) return true;
  return hangul.test(before) && hangul.test(after);
}

/** Whether the name (one of `nameForms`) appears in the text as a whole word or phrase. */
export function containsName(text: SearchableText, form: string): boolean {
  if (form.length === 0) return false;
  for (let start = text.form.indexOf(form); start !== -1; start = text.form.indexOf(form, start + 1)) {
    if (startsWord(text, start) && endsWord(text, start + form.length)) return true;
  }
  return false;
}
