import { BlockList, isIP } from 'node:net';
import { parse as parseDomain } from 'tldts';
import { isPlatformDomain } from './platform-domains.js';
import type { Indicator } from './indicator.js';
import { trimTrailingPunctuation, type ClaimedSpans, matchesOf } from './text-spans.js';

/**
 * Endings that are real top-level domains but far more often file names in a
 * message ("screenshot.png" is not, "chat.zip" and "video.mov" would be).
 */
const fileExtensionTlds = new Set([
  'zip',
  'mov',
  'mp4',
  'jpg',
  'png',
  'pdf',
  'doc',
  'docx',
  'xls',
  'apk',
  'exe',
  'txt',
  'heic',
]);

/**
 * The registrable domain of a host: the name its owner bought. A site on a
 * hosting service's own suffix (`scam.github.io`, `x.blogspot.com`, the
 * private part of the public suffix list) is owned by whoever made it, not by
 * the service, so its domain is that whole name; the service's suffix alone
 * is no one's site.
 */
export function registrableDomain(host: string): string | undefined {
  const lower = host.toLowerCase();
  const parsed = parseDomain(lower, { allowPrivateDomains: false });
  if (!parsed.domain || !parsed.isIcann || parsed.isIp) return undefined;
  if (fileExtensionTlds.has(parsed.publicSuffix ?? '')) return undefined;
  const hosted = parseDomain(lower, { allowPrivateDomains: true });
  if (hosted.isPrivate) return hosted.domain ?? undefined;
  return parsed.domain;
}

/**
 * Addresses that are the same in everyone's home, office or phone (private,
 * loopback, link-local, carrier-grade NAT, multicast, IPv4-mapped): a link to
 * one is no site of a scam network and would link strangers' reports. One
 * list per family: a BlockList checks an IPv4 address against IPv6 rules as
 * its mapped form too.
 */
const sharedIpv4 = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  ['224.0.0.0', 3],
] as const)
  sharedIpv4.addSubnet(network, prefix, 'ipv4');
const sharedIpv6 = new BlockList();
for (const [network, prefix] of [
  ['::', 127],
  ['::ffff:0:0', 96],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  sharedIpv6.addSubnet(network, prefix, 'ipv6');

/**
 * Whether a URL's host is a public IP address (`203.0.113.7`, `[2001:db8::1]`):
 * phishing pages and fake trading sites are often served from a bare address,
 * and such a link is as much a lead as one with a name.
 */
export function isPublicAddressHost(hostname: string): boolean {
  const address = hostname.replace(/^\[(.*)\]$/, '$1');
  const family = isIP(address);
  if (family === 4) return !sharedIpv4.check(address, 'ipv4');
  if (family === 6) return !sharedIpv6.check(address, 'ipv6');
  return false;
}

/**
 * A URL in canonical form: lower-case scheme and host, no fragment, no default port.
 * Written without a scheme it is read as `http://`, or as `https://` on a
 * platform (which serves nothing else), so `facebook.com/x` and
 * `https://facebook.com/x` are one page.
 */
export function normalizeUrl(raw: string): string | undefined {
  let url: URL;
  try {
    const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw)
      ? ''
      : isPlatformDomain(registrableDomain(raw.split(/[/?#]/, 1)[0]!))
        ? 'https://'
        : 'http://';
    url = new URL(`${scheme}${raw}`);
  } catch {
    // Text that does not parse as a URL is simply not one: no indicator, nothing lost.
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

const urlPattern = /\bhttps?:\/\/[^\s<>"'`，。、「」（）]+/giu;
const bareDomainPattern =
  /(?<![\w@.-])(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,24}(?:\/[^\s<>"'`，。、「」（）]*)?(?![\w@-])/giu;

/** The longest local part (before the @) and domain an address may have (RFC 5321). */
const maxLocalPartLength = 64;
const maxDomainLength = 253;

/** By character code (NaN past either end of the text is none of them). */
const isAsciiLetter = (code: number) => (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
const isAsciiDigit = (code: number) => code >= 0x30 && code <= 0x39;
/** [A-Za-z0-9-] */
const isLabelCharacter = (code: number) => isAsciiLetter(code) || isAsciiDigit(code) || code === 0x2d;
/** [A-Za-z0-9._%+-] */
const isLocalPartCharacter = (code: number) =>
  isLabelCharacter(code) || code === 0x2e || code === 0x5f || code === 0x25 || code === 0x2b;

/**
 * Where the domain of an address that starts at `from` (just after its @)
 * ends, or -1 when no domain starts there. The same text the pattern
 * `[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}` would match: the
 * dot-separated labels that follow, up to the letters that begin the last
 * label (after the first) starting with at least two letters.
 */
function domainEnd(text: string, from: number): number {
  const labelStarts: number[] = [];
  let position = from;
  for (;;) {
    const start = position;
    while (isLabelCharacter(text.charCodeAt(position))) position += 1;
    if (position === start) break;
    labelStarts.push(start);
    if (text.charCodeAt(position) !== 0x2e || !isLabelCharacter(text.charCodeAt(position + 1))) break;
    position += 1;
  }
  for (let label = labelStarts.length - 1; label >= 1; label -= 1) {
    let end = labelStarts[label]!;
    while (isAsciiLetter(text.charCodeAt(end))) end += 1;
    if (end - labelStarts[label]! >= 2) return end;
  }
  return -1;
}

/**
 * E-mail addresses, found from each @ outwards: the local part read back
 * from it, the domain read on. The pattern this replaces
 * (`[A-Za-z0-9._%+-]+@…`) was retried from every character of a run of
 * local-part characters with no @ after it, so a story of "1." or letters
 * repeated cost time quadratic in its length. Each character is now read at
 * most twice (as the domain of the @ before it and, at most 65 characters
 * back, as the local part of the @ after it), and an address whose local
 * part or domain is longer than an address may be is no address.
 * What is found is what the pattern found, leftmost first and never
 * overlapping the address before.
 */
export function findEmails(text: string, claimed: ClaimedSpans, source: string): Indicator[] {
  const found: Indicator[] = [];
  // Each address is normalized and its domain looked up once however often it is written.
  const addresses = new Map<string, { value: string; validity: 'valid' | 'plausible' } | undefined>();
  const readAddress = (original: string) => {
    if (!addresses.has(original)) {
      const value = normalizeEmail(original);
      addresses.set(
        original,
        value ? { value, validity: registrableDomain(value.split('@')[1]!) ? 'valid' : 'plausible' } : undefined,
      );
    }
    return addresses.get(original);
  };
  let previousEnd = 0;
  for (let at = text.indexOf('@'); at !== -1; at = text.indexOf('@', at + 1)) {
    let start = at;
    while (start > previousEnd && at - start <= maxLocalPartLength && isLocalPartCharacter(text.charCodeAt(start - 1)))
      start -= 1;
    if (start === at) continue;
    const end = domainEnd(text, at + 1);
    if (end === -1) continue;
    // The pattern would have matched here, so the next address starts after this one.
    previousEnd = end;
    if (at - start > maxLocalPartLength || end - at - 1 > maxDomainLength) continue;
    const original = text.slice(start, end);
    const address = readAddress(original);
    if (!address || claimed.overlaps(start, end)) continue;
    claimed.claim(start, end);
    found.push({ kind: 'email', value: address.value, original, validity: address.validity, source });
  }
  return found;
}

/**
 * Links and bare domains. A link yields the URL and its registrable domain
 * (several pages of one scam site link the reports that name them); a bare
 * domain yields the domain. On a platform (platform-domains.ts) the page is
 * the lead, not the site: a link, or a bare domain with a path
 * (`facebook.com/agent.rizal.jobs`), yields only its URL, and the platform's
 * name alone yields nothing. Messenger links (t.me, line.me, wa.me) are read
 * by the messenger pass before this one.
 */
export function findWebAddresses(text: string, claimed: ClaimedSpans, source: string): Indicator[] {
  const found: Indicator[] = [];
  // Each link is parsed once however often it is written (two URL parses and a suffix lookup).
  const links = new Map<string, { url: string | undefined; domain: string | undefined }>();
  const readLink = (original: string) => {
    let link = links.get(original);
    if (!link) {
      const url = normalizeUrl(original);
      link = { url, domain: url ? registrableDomain(new URL(url).hostname) : undefined };
      links.set(original, link);
    }
    return link;
  };
  for (const match of matchesOf(urlPattern, text)) {
    const original = trimTrailingPunctuation(match[0]);
    const start = match.index;
    const end = start + original.length;
    if (claimed.overlaps(start, end)) continue;
    const { url, domain } = readLink(original);
    // A link to a public IP address is kept as its URL: it has no domain to link by.
    if (!url || (!domain && !isPublicAddressHost(new URL(url).hostname))) continue;
    claimed.claim(start, end);
    found.push({ kind: 'url', value: url, original, validity: 'valid', source });
    if (domain && !isPlatformDomain(domain))
      found.push({ kind: 'domain', value: domain, original, validity: 'valid', source });
  }
  for (const match of matchesOf(bareDomainPattern, text)) {
    const original = trimTrailingPunctuation(match[0]);
    const start = match.index;
    const end = start + original.length;
    if (claimed.overlaps(start, end)) continue;
    const host = original.split('/')[0]!;
    const domain = registrableDomain(host);
    if (!domain) continue;
    claimed.claim(start, end);
    if (!isPlatformDomain(domain)) {
      found.push({ kind: 'domain', value: domain, original, validity: 'plausible', source });
      continue;
    }
    const url = original.length > host.length + 1 ? readLink(original).url : undefined;
    if (url) found.push({ kind: 'url', value: url, original, validity: 'valid', source });
  }
  return found;
}
