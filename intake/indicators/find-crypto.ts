import { checkCryptoAddress } from './crypto-address.js';
import type { Indicator } from './indicator.js';
import { type ClaimedSpans, matchesOf } from './text-spans.js';

const addressPattern =
  /(?<![\w])(?:T[1-9A-HJ-NP-Za-km-z]{33}|[13][1-9A-HJ-NP-Za-km-z]{25,34}|(?:bc1|BC1)[02-9ac-hj-np-zAC-HJ-NP-Z]{8,87}|0x[0-9a-fA-F]{40})(?![\w])/g;
const transactionPattern = /(?<![\w])(?:0x)?[0-9a-fA-F]{64}(?![\w])/g;

/** A transaction hash: 64 hex digits, stored lower case without 0x. */
export function normalizeTransactionHash(raw: string): string | undefined {
  const hex = raw.trim().replace(/^0x/i, '');
  return /^[0-9a-fA-F]{64}$/.test(hex) ? hex.toLowerCase() : undefined;
}

/** The lengths an address of each prefix may have once joined, and the characters it is made of. */
interface BrokenShape {
  prefix: RegExp;
  /** The lengths an address of this prefix may have once joined. */
  lengths: (length: number) => boolean;
  longest: number;
  /** A piece: a run of the characters the address is made of, read where it starts. */
  piece: RegExp;
}
const brokenShapes: BrokenShape[] = [
  { prefix: /^T/, lengths: (length) => length === 34, longest: 34, piece: /[1-9A-HJ-NP-Za-km-z]+/y },
  { prefix: /^0x/, lengths: (length) => length === 42, longest: 42, piece: /[0-9a-fA-F]+/y },
  {
    prefix: /^(?:bc1|BC1)/,
    lengths: (length) => length === 42 || length === 62,
    longest: 62,
    piece: /[02-9ac-hj-np-zAC-HJ-NP-Z]+/y,
  },
  {
    prefix: /^[13]/,
    lengths: (length) => length >= 26 && length <= 35,
    longest: 35,
    piece: /[1-9A-HJ-NP-Za-km-z]+/y,
  },
];
/** A piece of a wallet that goes on after a space or a line break. */
const brokenStart =
  /(?<![\w])(?:[T13][0-9A-Za-z]{2,}|(?:0x|bc1|BC1)[0-9A-Za-z]+)(?=[ \t]?(?:\r?\n)?[ \t]?[0-9A-Za-z])/g;
/** What may come between two pieces: a space, a line break, or both. */
const pieceGap = /[ \t]?(?:\r?\n)?[ \t]?/y;
const alphanumeric = /[0-9A-Za-z]/;
const nextPieceHasLetter = /[ \t]?(?:\r?\n)?[ \t]?\d*[A-Za-z]/y;

/**
 * Wallets broken by a line break (copied from a screenshot) or written in
 * groups ("TThj 8QM1 oAy4 …"): from a piece that starts like an address,
 * the pieces that follow (each but the last at least three characters, with
 * one space or line break between) are joined while the whole could still
 * be one, and kept only where the joined address's checksum passes, which
 * text that merely looks like pieces of one never does. Each start reads at
 * most an address's length on: linear in the text.
 */
function findBrokenAddresses(
  text: string,
  claimed: ClaimedSpans,
  source: string,
  checked: Map<string, ReturnType<typeof checkCryptoAddress>>,
): Indicator[] {
  const found: Indicator[] = [];
  for (const match of matchesOf(brokenStart, text)) {
    // Pieces of digits alone ("123 456 …") are a number, not a wallet: the first two may not both be.
    if (!/[A-Za-z]/.test(match[0].slice(1))) {
      nextPieceHasLetter.lastIndex = match.index + match[0].length;
      if (!nextPieceHasLetter.test(text)) continue;
    }
    const shape = brokenShapes.find((candidate) => candidate.prefix.test(match[0]));
    if (!shape || match[0].length >= shape.longest || claimed.overlaps(match.index, match.index + 1)) continue;
    let joined = match[0];
    let position = match.index + match[0].length;
    let pieces = 1;
    let lastPieceLength = match[0].length;
    let accepted: { end: number; address: string } | undefined;
    while (joined.length < shape.longest && lastPieceLength >= 3) {
      pieceGap.lastIndex = position;
      const gap = position + (pieceGap.exec(text)?.[0].length ?? 0);
      if (gap === position) break;
      shape.piece.lastIndex = gap;
      const piece = shape.piece.exec(text)?.[0];
      if (!piece || joined.length + piece.length > shape.longest) break;
      const end = gap + piece.length;
      if (alphanumeric.test(text[end] ?? '')) break;
      joined += piece;
      pieces += 1;
      lastPieceLength = piece.length;
      position = end;
      if (!shape.lengths(joined.length)) continue;
      if (!checked.has(joined)) checked.set(joined, checkCryptoAddress(joined));
      if (checked.get(joined)?.validity === 'valid') {
        accepted = { end, address: joined };
        break;
      }
    }
    if (!accepted || pieces < 2 || claimed.overlaps(match.index, accepted.end)) continue;
    const address = checked.get(accepted.address)!;
    claimed.claim(match.index, accepted.end);
    found.push({
      kind: 'crypto_address',
      value: address.value,
      original: text.slice(match.index, accepted.end),
      validity: 'valid',
      source,
    });
  }
  return found;
}

/**
 * Wallet addresses and transaction hashes. An address whose checksum fails
 * is still reported, as `invalid`: a mistyped wallet is still a lead. A
 * wallet broken over pieces is read first, so its first piece is not taken
 * for a mistyped address of its own.
 */
export function findCrypto(text: string, claimed: ClaimedSpans, source: string): Indicator[] {
  const found: Indicator[] = [];
  for (const match of matchesOf(transactionPattern, text)) {
    const value = normalizeTransactionHash(match[0]);
    if (!value || claimed.overlaps(match.index, match.index + match[0].length)) continue;
    claimed.claim(match.index, match.index + match[0].length);
    found.push({ kind: 'crypto_tx', value, original: match[0], validity: 'plausible', source });
  }
  // Each address is checked once however often it is written: a checksum (Keccak, double SHA-256) is
  // some 10 µs, and a story of one wallet repeated holds 500 of them.
  const checked = new Map<string, ReturnType<typeof checkCryptoAddress>>();
  found.push(...findBrokenAddresses(text, claimed, source, checked));
  for (const match of matchesOf(addressPattern, text)) {
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
