import { countrySpecs, electronicFormatIBAN, isValidIBAN } from 'ibantools';
import { banks } from './banks.js';
import type { Indicator } from './indicator.js';
import { type ClaimedSpans, matchesOf } from './text-spans.js';

/** Text shaped like an IBAN, in groups of four split by spaces or dashes, in either case. */
const ibanPattern = /\b[A-Za-z]{2}\d{2}(?:[ -]?[A-Za-z0-9]{4}){2,7}(?:[ -]?[A-Za-z0-9]{1,4})?\b/g;

/**
 * An IBAN in electronic format, or undefined for text that only looks like
 * one: its country must be in the IBAN registry and its length that
 * country's (a courier's `SF1234567890123` is neither). Of those, one whose
 * check digits fail is kept as `invalid`: a mistyped IBAN is still a lead.
 */
export function normalizeIban(raw: string): { value: string; validity: 'valid' | 'invalid' } | undefined {
  const value = electronicFormatIBAN(raw.trim().replace(/-/g, ' ').toUpperCase());
  if (!value || !/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(value)) return undefined;
  const spec = countrySpecs[value.slice(0, 2)];
  if (!spec?.chars || spec.chars !== value.length) return undefined;
  return { value, validity: isValidIBAN(value) ? 'valid' : 'invalid' };
}

export function findIbans(text: string, claimed: ClaimedSpans, source: string): Indicator[] {
  const found: Indicator[] = [];
  for (const match of matchesOf(ibanPattern, text)) {
    const iban = normalizeIban(match[0]);
    if (!iban || claimed.overlaps(match.index, match.index + match[0].length)) continue;
    // Written otherwise than as an IBAN is printed (lower case, dashes), only a passing checksum says it is one.
    if (iban.validity === 'invalid' && !/^[A-Z]{2}\d{2}(?: ?[A-Z0-9])+$/.test(match[0])) continue;
    claimed.claim(match.index, match.index + match[0].length);
    found.push({ kind: 'iban', value: iban.value, original: match[0], validity: iban.validity, source });
  }
  return found;
}

/**
 * A bank's name, then (within a few words such as "account no.") a run of 6–20 digits.
 * Sticky, and read from just after the name (lastIndex), rather than anchored
 * with ^ in the rest of the message sliced off for each name: linear even
 * where slices are copies (V8 shares the text, so it measured the same).
 */
const accountAfterName = /[^\d\n]{0,24}?(\d[\d\s-]{4,26}\d)/uy;

export function bankSlugIn(text: string): string | undefined {
  return banks.find((bank) => bank.names.test(text))?.slug;
}

/** `<bank>:<digits>` for an account written with its bank; undefined when the digits do not fit. */
export function normalizeBankAccount(raw: string): string | undefined {
  const slug = bankSlugIn(raw);
  const digits = raw.replace(/^.*?(\d[\d\s-]*\d)\s*$/su, '$1').replace(/[\s-]/g, '');
  if (!/^\d{6,20}$/.test(digits)) return undefined;
  return slug ? `${slug}:${digits}` : digits;
}

/**
 * Case-insensitive Unicode regular expressions are slow to run over long
 * text. Most messages name no bank at all, so each bank is first looked for
 * in the lower-cased text with a case-sensitive copy of its pattern (the
 * patterns use no escapes whose meaning changes with case), and only a bank
 * found that way is then matched in the original text.
 */
const bankPatterns = banks.map((bank) => ({
  slug: bank.slug,
  pattern: new RegExp(bank.names.source, `${bank.names.flags}g`),
  quick: new RegExp(bank.names.source.toLowerCase(), 'u'),
}));
/** The top-level alternatives of a pattern's source (`a|b(?:c|d)|e` → `a`, `b(?:c|d)`, `e`). */
function alternatives(source: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let from = 0;
  for (let index = 0; index < source.length; index += 1) {
    const char = source[index];
    if (char === '\\') index += 1;
    else if (char === '(') depth += 1;
    else if (char === ')') depth -= 1;
    else if (char === '|' && depth === 0) {
      parts.push(source.slice(from, index));
      from = index + 1;
    }
  }
  parts.push(source.slice(from));
  return parts;
}

const names = bankPatterns.flatMap((bank) => alternatives(bank.quick.source));
const latinNames = names.filter((name) => /^(?:\\b)?[a-z]/.test(name));
const otherNames = names.filter((name) => !/^(?:\\b)?[a-z]/.test(name));
/**
 * Every bank's name in one pattern, so one scan of the lower-cased text says
 * where banks are named (a scan for each of a hundred banks was most of the
 * pass). Names in Latin letters are tried only where a word starts (they
 * are words: "KBank", "Vietcombank", "BCA"), which spares trying them at
 * each letter; names in other scripts anywhere, as Thai, Korean and Chinese
 * write them straight after other words. Which bank a name is, is then
 * asked of each bank's own pattern at that place, in the table's order.
 */
const anyBank = new RegExp(`(?<![a-z0-9])(?:${latinNames.join('|')})|${otherNames.join('|')}`, 'gu');
/** The same, to ask only whether any bank is named: most messages name none, and a test stops at the first. */
const anyBankNamed = new RegExp(anyBank.source, 'u');
const bankAt = bankPatterns.map((bank) => new RegExp(bank.quick.source, 'uy'));

/** Local account numbers where the text names the bank they are at. */
export function findBankAccounts(text: string, claimed: ClaimedSpans, source: string): Indicator[] {
  const found: Indicator[] = [];
  const named = new Set<number>();
  const lower = text.toLowerCase();
  if (!anyBankNamed.test(lower)) return found;
  for (const match of matchesOf(anyBank, lower)) {
    named.add(
      bankAt.findIndex((pattern) => {
        pattern.lastIndex = match.index;
        return pattern.test(lower);
      }),
    );
  }
  if (named.size === 0) return found;
  for (const [index, bank] of bankPatterns.entries()) {
    if (!named.has(index)) continue;
    for (const match of matchesOf(bank.pattern, text)) {
      const afterName = match.index + match[0].length;
      accountAfterName.lastIndex = afterName;
      const account = accountAfterName.exec(text);
      if (!account) continue;
      const digits = account[1]!.replace(/[\s-]/g, '');
      if (digits.length < 6 || digits.length > 20) continue;
      const start = afterName + account[0].length - account[1]!.length;
      // A number written with + and a country code is a phone, even next to a bank's name.
      if (text[start - 1] === '+') continue;
      const end = afterName + account[0].length;
      if (claimed.overlaps(start, end)) continue;
      claimed.claim(start, end);
      found.push({
        kind: 'bank_account',
        value: `${bank.slug}:${digits}`,
        original: text.slice(match.index, end),
        validity: 'plausible',
        source,
      });
    }
  }
  return found;
}
