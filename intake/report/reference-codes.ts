import { randomInt } from 'node:crypto';

/**
 * Crockford's base32 alphabet: no I, L, O or U, so a code read aloud over a bad
 * phone line or copied by hand cannot be mistaken for another.
 */
const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

function randomGroup(length: number): string {
  let group = '';
  for (let i = 0; i < length; i += 1) group += alphabet[randomInt(alphabet.length)];
  return group;
}

/** Public report reference, e.g. RL-7K3M-9QX2 (40 random bits). */
export function newReportReference(): string {
  return `RL-${randomGroup(4)}-${randomGroup(4)}`;
}

/** Secret receipt code, e.g. 4XK9-M2QD-7TRB (60 random bits); shown once, stored hashed. */
export function newReceiptCode(): string {
  return `${randomGroup(4)}-${randomGroup(4)}-${randomGroup(4)}`;
}

/**
 * Brings what a person typed back to the canonical form: upper case, the
 * letters Crockford maps to digits (O→0, I/L→1), separators ignored.
 */
function canonicalGroups(text: string, prefix: string, groups: number): string | undefined {
  let cleaned = text.toUpperCase().replace(/[\s\-_.]/g, '');
  if (prefix && cleaned.startsWith(prefix)) cleaned = cleaned.slice(prefix.length);
  cleaned = cleaned.replace(/O/g, '0').replace(/[IL]/g, '1');
  if (cleaned.length !== groups * 4 || [...cleaned].some((c) => !alphabet.includes(c))) return undefined;
  const parts = cleaned.match(/.{4}/g) ?? [];
  return parts.join('-');
}

export function normalizeReportReference(text: string): string | undefined {
  const groups = canonicalGroups(text, 'RL', 2);
  return groups ? `RL-${groups}` : undefined;
}

export function normalizeReceiptCode(text: string): string | undefined {
  return canonicalGroups(text, '', 3);
}
