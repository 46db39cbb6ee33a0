import { createHmac } from 'node:crypto';
import { checkRangePrefixLength } from './check-types.js';

/**
 * The hash a partner (a bank, a messaging app) computes for a normalized
 * indicator and Reportline's range API answers with:
 * `hex(HMAC-SHA256(partnerKey, kind + ":" + normalizedValue))`, lower case.
 * The partner key is derived from the data key under its own label
 * (`FieldCipher.checkPartnerKey`); it is not the blind-index key, so a partner
 * holding it can hash its own customers' payees and nothing more: it opens no
 * ciphertext and matches no blind index.
 */
export function partnerHash(partnerKey: Buffer, kind: string, normalizedValue: string): string {
  return createHmac('sha256', partnerKey).update(`${kind}:${normalizedValue}`, 'utf8').digest('hex');
}

export function partnerPrefixOf(hash: string): string {
  return hash.slice(0, checkRangePrefixLength);
}

/** A range prefix as a partner sends it: exactly five hex digits, any case; undefined for anything else. */
export function parsePartnerPrefix(text: string): string | undefined {
  return new RegExp(`^[0-9a-fA-F]{${checkRangePrefixLength}}$`).test(text) ? text.toLowerCase() : undefined;
}
