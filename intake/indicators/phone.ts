import { findNumbers, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import type { Indicator } from './indicator.js';
import { type ClaimedSpans, matchesOf } from './text-spans.js';

export function isCountryCode(code: string | undefined): code is CountryCode {
  return code !== undefined && /^[A-Z]{2}$/.test(code);
}

/**
 * A phone number as E.164, with `valid` when the numbering plan of its
 * country knows it, `plausible` when only its length fits, or undefined when
 * it is not a phone number at all.
 */
export function normalizePhone(
  raw: string,
  defaultCountry?: string,
): { value: string; validity: 'valid' | 'plausible' } | undefined {
  const number = parsePhoneNumberFromString(raw, isCountryCode(defaultCountry) ? defaultCountry : undefined);
  if (!number) return undefined;
  if (number.isValid()) return { value: number.number, validity: 'valid' };
  if (number.isPossible()) return { value: number.number, validity: 'plausible' };
  return undefined;
}

/**
 * Characters around a digit run that show it is money, an order or a date, not a phone.
 * "no." and the Korean 번호 ("number") say so only after a word for what is not a phone
 * (주문번호, "order no."): "Phone no. 0917 123 4567", 전화번호 and 모집책 번호 are phones.
 */
const notPhoneBefore =
  /(?:[#№$₩฿¥￥€£₫₱៛]|rm|rp|usd|order|(?<!(?:phone|tel|mobile|cell|contact|cp|whatsapp|viber|sđt|telp)\s*)no\.|(?:주문|계좌|송장|운송장|사업자|주민|등록|회원|카드|접수|사건)\s?번호\s?:?|订单|注文|tx|hash|ref)\s*$/iu;
const notPhoneAfter =
  /^\s*(?:원|won|บาท|baht|円|yen|元|đồng|đ|usdt|usd|usdc|btc|eth|trx|khr|riel|kip|ringgit|peso|rupiah|만|万|억|%)(?![\p{Script=Latin}])/iu;

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
  for (const match of matchesOf(candidatePattern, text)) {
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

/**
 * Whether the number at `startsAt`–`endsAt` stands as a phone number in its
 * context, rather than being money, an order, a date or part of an ID.
 */
function standsAsPhone(text: string, startsAt: number, endsAt: number): boolean {
  const before = text.slice(Math.max(0, startsAt - 20), startsAt);
  const after = text.slice(endsAt, endsAt + 8);
  if (notPhoneBefore.test(before) || notPhoneAfter.test(after)) return false;
  // Digits glued to Latin letters or more digits are part of something else (an ID, a
  // hash); Korean, Thai and Chinese write numbers straight against their words ("678로").
  return !/[\p{Script=Latin}\d]$/u.test(before) && !/^[\p{Script=Latin}\d]/u.test(after);
}

/**
 * How much of one message libphonenumber may read, in units of its work
 * (about 12 µs each, measured): reading a stretch costs one unit and one a
 * digit group ("012 345 678" is three), as it tries the stretch whole and
 * then piece by piece, and a number it finds two more (it is parsed and
 * validated in full). The densest 5-message narrative of the corpus costs
 * 36 units; 20,000 characters of random digits and spaces cost 11,000 for
 * each region, which for a story that names every country (14 regions) was
 * 3-4 s of CPU. The budget keeps the worst message to some 10 ms. What is
 * beyond it is not read: the reporter's own country is read before the
 * countries the message names, and numbers written with + and grouped like
 * a phone number (at most six groups) before other stretches so grouped, and
 * those before the rest; so a number among thousands of stretches of junk
 * is still found, unless the junk is itself shaped like phone numbers.
 */
const readingBudget = 800;
const phoneLikeGroups = 6;

/** The order stretches are read in while the budget lasts: lower first. */
function readingOrder(stretch: { text: string; groups: number }): number {
  if (stretch.groups > phoneLikeGroups) return 2;
  return stretch.text.startsWith('+') ? 0 : 1;
}

/**
 * Whether nothing libphonenumber could find in the stretch at `start` would
 * stand as a phone number, so that it need not be read: a stretch of digits
 * alone ("12345678") glued to a letter or a digit on either side. A number
 * found inside it has a digit on one side, or is the whole stretch, glued.
 */
function cannotStand(text: string, start: number, stretch: string): boolean {
  if (!/^\d+$/.test(stretch)) return false;
  const glued = (char: string | undefined) => char !== undefined && /[\p{Script=Latin}\d]/u.test(char);
  return glued(text[start - 1]) || glued(text[start + stretch.length]);
}

/**
 * A date ("15/03/2024", "2024-03-15 14", "15.03.2567" in the Thai year),
 * which holds no phone number: not read at all, as reading it cost as much as
 * reading a number.
 */
function isDate(stretch: string): boolean {
  const match = /^(\d{1,4})([-/.])(\d{1,2})\2(\d{1,4})(?:\s\d{1,2})?$/.exec(stretch);
  if (!match) return false;
  const [first, month, last] = [match[1]!, Number(match[3]), match[4]!];
  const yearFirst = first.length === 4 && last.length <= 2;
  const yearLast = first.length <= 2 && (last.length === 4 || last.length === 2);
  const day = Number(yearFirst ? last : first);
  return (yearFirst || yearLast) && month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

/**
 * What libphonenumber finds in a stretch that is not a date.
 */
function readStretch(stretch: string, region: CountryCode | undefined): Reading[] {
  if (isDate(stretch)) return [];
  // The matcher's default leniency (VALID) finds only numbers its numbering plan knows: each is valid,
  // and asking again (isValid, some 2 µs a number) repeated its work.
  return findNumbers(stretch, { ...(region ? { defaultCountry: region } : {}), v2: true }).map((match) => ({
    startsAt: match.startsAt,
    endsAt: match.endsAt,
    value: match.number.number,
    validity: 'valid',
  }));
}

/** A number libphonenumber found in a stretch, with its validity worked out once. */
interface Reading {
  startsAt: number;
  endsAt: number;
  value: string;
  validity: 'valid' | 'plausible';
}

/** One stretch's text, wherever in the message it is written. */
interface DistinctStretch {
  text: string;
  groups: number;
  /**
   * Where it starts, each time it is written, but for the places where what a
   * further region found would be dropped anyway (see cannotStand, and below).
   */
  unsettled: number[];
  /** What each region found in it, by the index of the region; undefined when not read. */
  readings: Array<Reading[] | undefined>;
}

export function findPhones(text: string, regions: string[], claimed: ClaimedSpans, source: string): Indicator[] {
  const stretches = candidates(text).filter(
    (stretch) => !claimed.overlaps(stretch.start, stretch.start + stretch.text.length),
  );
  if (stretches.length === 0) return [];
  const tries: Array<CountryCode | undefined> = regions.filter(isCountryCode);
  if (tries.length === 0) tries.push(undefined);
  // A stretch written twice is read once: a story of one stretch repeated a thousand times costs one reading.
  const distinct = new Map<string, DistinctStretch>();
  for (const stretch of stretches) {
    let entry = distinct.get(stretch.text);
    if (!entry) {
      entry = { text: stretch.text, groups: stretch.text.match(/\d+/g)?.length ?? 1, unsettled: [], readings: [] };
      distinct.set(stretch.text, entry);
    }
    if (!cannotStand(text, stretch.start, stretch.text)) entry.unsettled.push(stretch.start);
  }
  const byShape = [...distinct.values()].sort((a, b) => readingOrder(a) - readingOrder(b));
  let budget = readingBudget;
  withoutStackTraces(() => {
    tries.forEach((region, regionIndex) => {
      for (const stretch of byShape) {
        if (stretch.unsettled.length === 0) continue;
        if (1 + stretch.groups > budget) continue;
        budget -= 1 + stretch.groups;
        const readings = readStretch(stretch.text, region);
        stretch.readings[regionIndex] = readings;
        budget -= 2 * readings.length;
        /*
         * Where this region read the whole stretch as a phone number that stands in its
         * context, that number is claimed first, so whatever a later region finds there
         * overlaps it and is dropped: not reading it again changes nothing, and spares
         * a list of numbers a reading per region.
         */
        const [first] = readings;
        if (first && first.startsAt === 0 && first.endsAt === stretch.text.length) {
          stretch.unsettled = stretch.unsettled.filter((start) => !standsAsPhone(text, start, start + first.endsAt));
        }
      }
    });
  });
  // Claimed in the order of the text, each stretch by the regions in turn, as if every one had been read.
  const found: Indicator[] = [];
  for (const { start, text: stretchText } of stretches) {
    const stretch = distinct.get(stretchText)!;
    for (let regionIndex = 0; regionIndex < tries.length; regionIndex += 1) {
      for (const reading of stretch.readings[regionIndex] ?? []) {
        const startsAt = start + reading.startsAt;
        const endsAt = start + reading.endsAt;
        if (claimed.overlaps(startsAt, endsAt) || !standsAsPhone(text, startsAt, endsAt)) continue;
        claimed.claim(startsAt, endsAt);
        found.push({
          kind: 'phone',
          value: reading.value,
          original: text.slice(startsAt, endsAt),
          validity: reading.validity,
          source,
        });
      }
    }
  }
  return found;
}
