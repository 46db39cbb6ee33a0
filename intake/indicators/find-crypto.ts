import { checkCryptoAddress } from './crypto-address.js';
import type { Indicator } from './indicator.js';
import type { ClaimedSpans } from './text-spans.js';

const addressPattern =
  /(?<![\w])(?:T[1-9A-HJ-NP-Za-km-z]{33}|[13][1-9A-HJ-NP-Za-km-z]{25,34}|(?:bc1|BC1)[02-9ac-hj-np-zAC-HJ-NP-Z]{8,87}|0x[0-9a-fA-F]{40})(?![\w])/g;
const transactionPattern = /(?<![\w])(?:0x)?[0-9a-fA-F]{64}(?![\w])/g;

/** A transaction hash: 64 hex digits, stored lower case without 0x. */
export function normalizeTransactionHash(raw: string): string | undefined {
  const hex = raw.trim().replace(/^0x/i, '');
  return /^[0-9a-fA-F]{64}$/.test(hex) ? hex.toLowerCase() : undefined;
}

/**
 * Wallet addresses and transaction hashes. An address whose checksum fails
 * is still reported, as `invalid`: a mistyped wallet is still a lead.
 */
export function findCrypto(text: string, claimed: ClaimedSpans, source: string): Indicator[] {
  const found: Indicator[] = [];
  for (const match of text.matchAll(transactionPattern)) {
    const value = normalizeTransactionHash(match[0]);
    if (!value || claimed.overlaps(match.index, match.index + match[0].length)) continue;
    claimed.claim(match.index, match.index + match[0].length);
    found.push({ kind: 'crypto_tx', value, original: match[0], validity: 'plausible', source });
  }
  // Each address is checked once however often it is written: a checksum (Keccak, double SHA-256) is
  // some 10 µs, and a story of one wallet repeated holds 500 of them.
  const checked = new Map<string, ReturnType<typeof checkCryptoAddress>>();
  for (const match of text.matchAll(addressPattern)) {
    if (!checked.has(match[0])) checked.set(match[0], checkCryptoAddress(match[0]));
    const address = checked.get(match[0]);
    // A base58 look-alike with letters only is more likely a word than a mistyped wallet.
    if (!address || (address.validity === 'invalid' && !/\d/.test(match[0]))) continue;
    if (claimed.overlaps(match.index, match.index + match[0].length)) continue;
    claimed.claim(match.index, match.index + match[0].length);
    found.push({
      kind: 'crypto_address',
      value: address.value,
      original: match[0],
      validity: address.validity,
      source,
    });
  }
  return found;
}
