import { keccak_256 } from '@noble/hashes/sha3.js';
import { bech32, bech32m } from 'bech32';
import bs58check from 'bs58check';
import type { IndicatorValidity } from './indicator.js';

export interface CryptoAddress {
  /** Network-qualified, e.g. `tron:T…`, `bitcoin:bc1…`, `evm:0x…` (EVM addresses in lower case). */
  value: string;
  validity: IndicatorValidity;
}

function base58Payload(address: string): Uint8Array | undefined {
  try {
    return bs58check.decode(address);
  } catch {
    // A failed checksum is an answer, not a fault: the caller marks the address invalid.
    return undefined;
  }
}

/** TRON: base58check of 0x41 followed by the 20-byte account hash. */
export function checkTronAddress(address: string): CryptoAddress {
  const payload = base58Payload(address);
  const valid = payload !== undefined && payload.length === 21 && payload[0] === 0x41;
  return { value: `tron:${address}`, validity: valid ? 'valid' : 'invalid' };
}

/** Bitcoin legacy (P2PKH, version 0x00) and script (P2SH, version 0x05) addresses. */
export function checkBitcoinBase58Address(address: string): CryptoAddress {
  const payload = base58Payload(address);
  const valid = payload !== undefined && payload.length === 21 && (payload[0] === 0x00 || payload[0] === 0x05);
  return { value: `bitcoin:${address}`, validity: valid ? 'valid' : 'invalid' };
}

/**
 * Bitcoin segwit addresses (BIP 173 / BIP 350): witness version 0 must be
 * bech32 with a 20- or 32-byte program, versions 1–16 must be bech32m.
 * Stored lower case, as their checksum is case-insensitive.
 */
export function checkBitcoinSegwitAddress(address: string): CryptoAddress {
  const lower = address.toLowerCase();
  const value = `bitcoin:${lower}`;
  if (address !== lower && address !== address.toUpperCase()) return { value, validity: 'invalid' };
  for (const [codec, versionOk] of [
    [bech32, (version: number) => version === 0],
    [bech32m, (version: number) => version >= 1 && version <= 16],
  ] as const) {
    const decoded = codec.decodeUnsafe(lower, 90);
    if (!decoded || decoded.prefix !== 'bc' || decoded.words.length === 0) continue;
    const [version, ...rest] = decoded.words;
    if (version === undefined || !versionOk(version)) continue;
    const program = codec.fromWordsUnsafe(rest);
    if (!program) continue;
    const lengthOk =
      version === 0 ? program.length === 20 || program.length === 32 : program.length >= 2 && program.length <= 40;
    if (lengthOk) return { value, validity: 'valid' };
  }
  return { value, validity: 'invalid' };
}

/**
 * Ethereum and every EVM chain: 0x and 40 hex digits. A mixed-case address
 * carries an EIP-55 checksum, which is checked; an all-lower or all-upper
 * one carries none, so it can only be plausible.
 */
export function checkEvmAddress(address: string): CryptoAddress {
  const hex = address.slice(2);
  const value = `evm:0x${hex.toLowerCase()}`;
  if (hex === hex.toLowerCase() || hex === hex.toUpperCase()) return { value, validity: 'plausible' };
  const hash = Buffer.from(keccak_256(new TextEncoder().encode(hex.toLowerCase()))).toString('hex');
  const checksumOk = [...hex].every((char, index) => {
    if (!/[a-f]/i.test(char)) return true;
    const upper = Number.parseInt(hash[index] ?? '0', 16) >= 8;
    return upper ? char === char.toUpperCase() : char === char.toLowerCase();
  });
  return { value, validity: checksumOk ? 'valid' : 'invalid' };
}

/** The check that fits an address's shape, or undefined when it has no known shape. */
export function checkCryptoAddress(text: string): CryptoAddress | undefined {
  const address = text.trim();
  if (/^T[1-9A-HJ-NP-Za-km-z]{33}$/.test(address)) return checkTronAddress(address);
  if (/^[13][1-9A-HJ-NP-Za-km-z]{25,34}$/.test(address)) return checkBitcoinBase58Address(address);
  if (/^(bc1|BC1)[02-9ac-hj-np-zAC-HJ-NP-Z]{8,87}$/.test(address)) return checkBitcoinSegwitAddress(address);
  if (/^0x[0-9a-fA-F]{40}$/.test(address)) return checkEvmAddress(address);
  return undefined;
}
