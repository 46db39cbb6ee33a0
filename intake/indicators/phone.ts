import { findNumbers, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import type { Indicator } from './indicator.js';
import type { ClaimedSpans } from './text-spans.js';

export function isCountryCode(code: string | undefined): code is CountryCode {
  return code !== undefined && /^[A-Z]{2}$/.test(code);
}

/**
 * A phone number as E.164, with `valid` when the numbering plan of its
 * country knows it, `plausible` when only its length fits, or undefined when
 * it is not a phone number at all.
 */
export function normalizePhone(raw: string, defaultCountry?: string): { value: string; validity: 'valid' | 'plausible' } | undefined {
  const number = parsePhoneNumberFromString(raw, isCountryCode(defaultCountry) ? defaultCountry : undefined);
  if (!number) return undefined;
  if (number.isValid()) return { value: number.number, validity: 'valid' };
  if (number.isPossible()) return { value: number.number, validity: 'plausible' };
  return undefined;
}

/** Characters around a digit run that show it is money, an order or a date, not a phone. */
const notPhoneBefore = /(?:[#№$₩฿¥￥€£₫₱៛]|rm|rp|usd|order|no\.|주문|번호:?|订单|注文|tx|hash|ref)\s*$/iu;
const notPhoneAfter = /^\s*(?:원|won|บาท|baht|円|yen|元|đồng|đ|usdt|usd|usdc|btc|eth|trx|khr|riel|kip|ringgit|peso|rupiah|만|万|억|%)(?![\p{Script=Latin}])/iu;

/**
 * Phone numbers in free text. libphonenumber's matcher finds only numbers
 * valid in a numbering plan (so dates, prices and order numbers mostly fall
 * out); the reporter's country and any country the message names are tried
 * as the region of numbers written without +country code.
 */
/**
 * Stretches of text that could hold a phone number: 7 to 15 digits with the
 * separators people use. libphonenumber's matcher is thorough but costly, so
 * it reads only these stretches, not the whole message.
 */
const candidatePattern = /[+(（]?\d[\d\s().\-／/]{5,24}\d/g;

function candidates(text: string): Array<{ start: number; text: string }> {
  const found: Array<{ start: number; text: string }> = [];
  for (const match of text.matchAll(candidatePattern)) {
    const digits = match[0].replace(/\D/g, '').length;
    if (digits >= 7 && digits <= 17) found.push({ start: match.index, text: match[0] });
  }
  return found;
}

/**
 * libphonenumber signals a piece of text that is not a number by throwing,
 * and builds a stack trace for every throw: in a stretch such as
 * "1 2 3 4 5 6 7 8 9 0 1 2 3 4" it tries each digit on its own, and the
 * stack traces were half of its time. Nothing reads them (findNumbers
 * catches its own errors), so none is built while it runs.
 */
function withoutStackTraces<T>(run: () => T): T {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return run();
  } finally {
    Error.stackTraceLimit = limit;
  }
}

export function findPhones(text: string, regions: string[], claimed: ClaimedSpans, source: string): Indicator[] {
  const stretches = candidates(text).filter((stretch) => !claimed.overlaps(stretch.start, stretch.start + stretch.text.length));
  if (stretches.length === 0) return [];
  const found: Indicator[] = [];
  const tries: Array<CountryCode | undefined> = regions.filter(isCountryCode);
  if (tries.length === 0) tries.push(undefined);
  // A stretch written twice is read once: a story of one stretch repeated a thousand times costs one reading.
  const read = new Map<string, ReturnType<typeof findNumbers>>();
  const numbersIn = (stretch: string, region: CountryCode | undefined) => {
    const key = `${region ?? ''} ${stretch}`;
    let numbers = read.get(key);
    if (!numbers) {
      numbers = findNumbers(stretch, { ...(region ? { defaultCountry: region } : {}), v2: true });
      read.set(key, numbers);
    }
    return numbers;
  };
  const matches = withoutStackTraces(() =>
    stretches.flatMap((stretch) =>
      tries.flatMap((region) =>
        numbersIn(stretch.text, region).map((match) => ({
          startsAt: stretch.start + match.startsAt,
          endsAt: stretch.start + match.endsAt,
          number: match.number,
        })),
      ),
    ),
  );
  for (const match of matches) {
    const { startsAt, endsAt, number } = match;
    if (claimed.overlaps(startsAt, endsAt)) continue;
    const before = text.slice(Math.max(0, startsAt - 12), startsAt);
    const after = text.slice(endsAt, endsAt + 8);
    if (notPhoneBefore.test(before) || notPhoneAfter.test(after)) continue;
    // Digits glued to Latin letters or more digits are part of something else (an ID, a
    // hash); Korean, Thai and Chinese write numbers straight against their words ("678로").
    if (/[\p{Script=Latin}\d]$/u.test(before) || /^[\p{Script=Latin}\d]/u.test(after)) continue;
    claimed.claim(startsAt, endsAt);
    found.push({
      kind: 'phone',
      value: number.number,
      original: text.slice(startsAt, endsAt),
      validity: number.isValid() ? 'valid' : 'plausible',
      source,
    });
  }
  return found;
}
