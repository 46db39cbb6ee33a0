import { parse as parseDomain } from 'tldts';
import type { Indicator } from './indicator.js';
import { trimTrailingPunctuation, type ClaimedSpans } from './text-spans.js';

/**
 * Endings that are real top-level domains but far more often file names in a
 * message ("screenshot.png" is not, "chat.zip" and "video.mov" would be).
 */
const fileExtensionTlds = new Set(['zip', 'mov', 'mp4', 'jpg', 'png', 'pdf', 'doc', 'docx', 'xls', 'apk', 'exe', 'txt', 'heic']);

export function registrableDomain(host: string): string | undefined {
  const parsed = parseDomain(host.toLowerCase(), { allowPrivateDomains: false });
  if (!parsed.domain || !parsed.isIcann || parsed.isIp) return undefined;
  if (fileExtensionTlds.has(parsed.publicSuffix ?? '')) return undefined;
  return parsed.domain;
}

/** A URL in canonical form: lower-case scheme and host, no fragment, no default port. */
export function normalizeUrl(raw: string): string | undefined {
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  url.hash = '';
  const text = url.toString();
  return url.pathname === '/' && !url.search ? text.replace(/\/$/, '') : text;
}

export function normalizeEmail(raw: string): string | undefined {
  const email = raw.trim().toLowerCase();
  const match = /^[a-z0-9._%+-]+@([a-z0-9.-]+\.[a-z]{2,})$/.exec(email);
  return match ? email : undefined;
}

const emailPattern = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
const urlPattern = /\bhttps?:\/\/[^\s<>"'`，。、「」（）]+/giu;
const bareDomainPattern = /(?<![\w@.-])(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,24}(?:\/[^\s<>"'`，。、「」（）]*)?(?![\w@-])/giu;

export function findEmails(text: string, claimed: ClaimedSpans, source: string): Indicator[] {
  const found: Indicator[] = [];
  for (const match of text.matchAll(emailPattern)) {
    const start = match.index;
    const end = start + match[0].length;
    const value = normalizeEmail(match[0]);
    if (!value || claimed.overlaps(start, end)) continue;
    claimed.claim(start, end);
    found.push({ kind: 'email', value, original: match[0], validity: registrableDomain(value.split('@')[1]!) ? 'valid' : 'plausible', source });
  }
  return found;
}

/**
 * Links and bare domains. A link yields the URL and its registrable domain
 * (several pages of one scam site link the reports that name them); a bare
 * domain yields the domain. Messenger links (t.me, line.me, wa.me) are read
 * by the messenger pass before this one.
 */
export function findWebAddresses(text: string, claimed: ClaimedSpans, source: string): Indicator[] {
  const found: Indicator[] = [];
  for (const match of text.matchAll(urlPattern)) {
    const original = trimTrailingPunctuation(match[0]);
    const start = match.index;
    const end = start + original.length;
    if (claimed.overlaps(start, end)) continue;
    const url = normalizeUrl(original);
    const domain = url ? registrableDomain(new URL(url).hostname) : undefined;
    if (!url || !domain) continue;
    claimed.claim(start, end);
    found.push({ kind: 'url', value: url, original, validity: 'valid', source });
    found.push({ kind: 'domain', value: domain, original, validity: 'valid', source });
  }
  for (const match of text.matchAll(bareDomainPattern)) {
    const original = trimTrailingPunctuation(match[0]);
    const start = match.index;
    const end = start + original.length;
    if (claimed.overlaps(start, end)) continue;
    const host = original.split('/')[0]!;
    const domain = registrableDomain(host);
    if (!domain) continue;
    claimed.claim(start, end);
    found.push({ kind: 'domain', value: domain, original, validity: 'plausible', source });
  }
  return found;
}
