import { normalizePhone } from './phone.js';
import type { Indicator } from './indicator.js';
import { trimTrailingPunctuation, type ClaimedSpans, matchesOf } from './text-spans.js';
import { normalizeUrl } from './web-addresses.js';

/** Telegram usernames: 5–32 letters, digits and underscores, starting with a letter. */
export function normalizeTelegramUsername(raw: string): string | undefined {
  const username = raw
    .trim()
    .replace(/^(?:https?:\/\/)?(?:t\.me|telegram\.me)\//i, '')
    .replace(/^@/, '')
    .toLowerCase();
  return /^[a-z][a-z0-9_]{4,31}$/.test(username) ? username : undefined;
}

/** LINE ids: 4–20 of letters, digits, dot, dash and underscore; official accounts start with @. */
export function normalizeLineId(raw: string): string | undefined {
  const id = raw
    .trim()
    .replace(/^(?:https?:\/\/)?line\.me\/(?:r\/)?ti\/p\/~?/i, '')
    .toLowerCase();
  return /^@?[a-z0-9._-]{4,20}$/.test(id) ? id : undefined;
}

const telegramLink = /\b(?:https?:\/\/)?(?:t\.me|telegram\.me)\/([A-Za-z][A-Za-z0-9_]{4,31})\b/g;
const lineLink = /\b(?:https?:\/\/)?line\.me\/(?:R\/)?ti\/p\/~?(@?[A-Za-z0-9._-]{4,20})/gi;
const whatsappLink = /\b(?:https?:\/\/)?(?:wa\.me\/|api\.whatsapp\.com\/send\?phone=)\+?(\d{7,15})\b/gi;
/**
 * "LINE ID: abc", "line: abc", "ไลน์ไอดี abc", "ID Line abc", "라인 아이디 abc", "LINE：abc".
 * The separator is `\s*(?:[:：=]\s*)?` rather than `\s*[:：=]?\s*`: the two match
 * the same text, but the second splits a run of spaces between its two `\s*` in
 * every possible way before failing, so "line" and 20,000 spaces cost 2 s.
 */
const lineMention =
  /(?:id\s*line|ไอดีไลน์|(?:line|ไลน์|라인|ライン)(?:\s*(?:(?:の|的)\s*)?(?:id|ไอดี|아이디))?)\s*(?:(?:[:：=]|は|คือ|는|:)\s*)?(@?[A-Za-z0-9._-]{4,20})/giu;
/** Words for "add" just before "LINE" ("แอดไลน์ abc", "add LINE abc", "加LINE abc"): a handle follows. */
const addBefore = /(?:แอด|เพิ่ม|add|加|追加)\s*$/iu;
/** Not after a slash: `tiktok.com/@name` is a page on TikTok, read with its link. */
const telegramMention = /(?<![\w.@/])@([A-Za-z][A-Za-z0-9_]{4,31})\b/g;

function push(
  found: Indicator[],
  claimed: ClaimedSpans,
  start: number,
  end: number,
  indicator: Omit<Indicator, 'source'>,
  source: string,
) {
  if (claimed.overlaps(start, end)) return;
  claimed.claim(start, end);
  found.push({ ...indicator, source });
}

/**
 * A messenger link: the account it opens, and the link itself as a URL, as
 * for any page on a platform (platform-domains.ts), so a report that gives
 * the link and one that gives the handle both link to it.
 */
function pushLink(
  found: Indicator[],
  claimed: ClaimedSpans,
  start: number,
  end: number,
  indicator: Omit<Indicator, 'source'>,
  source: string,
) {
  if (claimed.overlaps(start, end)) return;
  push(found, claimed, start, end, indicator, source);
  const url = normalizeUrl(indicator.original);
  if (url) found.push({ kind: 'url', value: url, original: indicator.original, validity: 'valid', source });
}

/**
 * Messenger contacts: t.me and line.me links, "LINE ID: …" mentions, wa.me
 * links, and @usernames (read as Telegram, where nearly every recruiter and
 * "investment mentor" in these cases talks).
 */
export function findMessengerHandles(text: string, claimed: ClaimedSpans, source: string): Indicator[] {
  const found: Indicator[] = [];
  for (const match of matchesOf(telegramLink, text)) {
    const original = trimTrailingPunctuation(match[0]);
    const value = normalizeTelegramUsername(match[1]!);
    if (value)
      pushLink(
        found,
        claimed,
        match.index,
        match.index + original.length,
        { kind: 'telegram', value, original, validity: 'plausible' },
        source,
      );
  }
  for (const match of matchesOf(lineLink, text)) {
    const value = normalizeLineId(match[1]!);
    if (value)
      pushLink(
        found,
        claimed,
        match.index,
        match.index + match[0].length,
        { kind: 'line', value, original: match[0], validity: 'plausible' },
        source,
      );
  }
  for (const match of matchesOf(whatsappLink, text)) {
    const phone = normalizePhone(`+${match[1]}`);
    if (phone)
      pushLink(
        found,
        claimed,
        match.index,
        match.index + match[0].length,
        { kind: 'whatsapp', value: phone.value, original: match[0], validity: phone.validity },
        source,
      );
  }
  for (const match of matchesOf(lineMention, text)) {
    const value = normalizeLineId(match[1]!);
    // "line" is also an English word: require a label-like colon or "id", or a handle with digits.
    const labelled =
      /id|ไอดี|아이디|[:：=]|は|คือ/iu.test(match[0].slice(0, match[0].length - match[1]!.length)) ||
      addBefore.test(text.slice(Math.max(0, match.index - 8), match.index));
    if (!value || (!labelled && !/\d/.test(value))) continue;
    push(
      found,
      claimed,
      match.index,
      match.index + match[0].length,
      { kind: 'line', value, original: match[0], validity: 'plausible' },
      source,
    );
  }
  for (const match of matchesOf(telegramMention, text)) {
    const value = normalizeTelegramUsername(match[1]!);
    if (value)
      push(
        found,
        claimed,
        match.index,
        match.index + match[0].length,
        { kind: 'telegram', value, original: match[0], validity: 'plausible' },
        source,
      );
  }
  return found;
}
