import { bech32, bech32m } from 'bech32';
import bs58check from 'bs58check';
import { keccak_256 } from '@noble/hashes/sha3.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkCryptoAddress } from '../../intake/indicators/crypto-address.js';
import { extractIndicators } from '../../intake/indicators/extract-indicators.js';
import type { IndicatorKind } from '../../intake/indicators/indicator.js';
import { normalizeIndicator } from '../../intake/indicators/normalize-indicator.js';

const bytes = (length: number) => fc.uint8Array({ minLength: length, maxLength: length });

/** Valid addresses of every supported shape, built from random bytes with the networks' own encodings. */
const validAddress = fc.oneof(
  bytes(20).map((hash) => bs58check.encode(Uint8Array.from([0x41, ...hash]))),
  bytes(20).map((hash) => bs58check.encode(Uint8Array.from([0x00, ...hash]))),
  bytes(20).map((hash) => bs58check.encode(Uint8Array.from([0x05, ...hash]))),
  bytes(20).map((program) => bech32.encode('bc', [0, ...bech32.toWords(program)])),
  bytes(32).map((program) => bech32m.encode('bc', [1, ...bech32m.toWords(program)])),
  bytes(20)
    .map((account) => Buffer.from(account).toString('hex'))
    // EIP-55 is carried only by the case of the letters: with n letters a changed digit
    // passes by chance with probability 2^-n. Addresses with at least 20 letters (most
    // of them) keep that below one in 500,000, so the property is not left to luck.
    .filter((hex) => (hex.match(/[a-f]/g)?.length ?? 0) >= 20)
    .map((hex) => {
      const hash = Buffer.from(keccak_256(new TextEncoder().encode(hex))).toString('hex');
      return `0x${[...hex].map((char, i) => (Number.parseInt(hash[i]!, 16) >= 8 ? char.toUpperCase() : char)).join('')}`;
    })
    .filter((address) => address.slice(2) !== address.slice(2).toLowerCase()),
);

const alphabets = {
  base58: '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz',
  bech32: 'qpzry9x8gf2tvdw0s3jn54khce6mua7l',
  hex: '0123456789abcdefABCDEF',
};

/** The same address with one character replaced by another of its own alphabet. */
function withOneCharacterChanged(address: string, position: number, pick: number): string | undefined {
  const isBech32 = address.toLowerCase().startsWith('bc1');
  const isHex = address.startsWith('0x');
  const first = isBech32 ? 4 : isHex ? 2 : 1; // keep the prefix (network and version)
  const index = first + (position % (address.length - first));
  const alphabet = isBech32 ? alphabets.bech32 : isHex ? alphabets.hex : alphabets.base58;
  const original = address[index]!;
  const candidates = [...alphabet].filter((char) => char.toLowerCase() !== original.toLowerCase());
  const replacement = candidates[pick % candidates.length]!;
  // Changing only the case of an EVM hex digit is a checksum error too, but not "a character changed".
  return `${address.slice(0, index)}${replacement}${address.slice(index + 1)}`;
}

describe('properties of indicator normalization', () => {
  it('every generated address is valid', () => {
    fc.assert(
      fc.property(validAddress, (address) => checkCryptoAddress(address)?.validity === 'valid'),
      { numRuns: 300 },
    );
  });

  it('a valid address with one character changed fails its checksum', () => {
    fc.assert(
      fc.property(validAddress, fc.nat(), fc.nat(), (address, position, pick) => {
        const changed = withOneCharacterChanged(address, position, pick);
        if (!changed) return true;
        const checked = checkCryptoAddress(changed);
        // A changed EVM digit keeps the shape: the EIP-55 checksum must catch it, or the address
        // has become all one case (no checksum left), which can only be plausible.
        return checked === undefined || checked.validity !== 'valid';
      }),
      { numRuns: 1000 },
    );
  });

  const samples: Array<[IndicatorKind, fc.Arbitrary<string>]> = [
    ['crypto_address', validAddress],
    [
      'phone',
      fc.constantFrom(
        '+855 12 345 678',
        '+66 81 234 5678',
        '+82 10-2345-6789',
        '+84 912 345 678',
        '+86 138 0013 8000',
        '+81 90-1234-5678',
        '+62 812-3456-7890',
        '+63 917 123 4567',
      ),
    ],
    ['domain', fc.domain()],
    ['email', fc.emailAddress()],
    [
      'iban',
      fc.constantFrom(
        'GB82 WEST 1234 5698 7654 32',
        'de89 3704 0044 0532 0130 00',
        'FR14 2004 1010 0505 0001 3M02 606',
      ),
    ],
    ['url', fc.webUrl()],
    ['telegram', fc.stringMatching(/^@?[a-zA-Z][a-zA-Z0-9_]{4,20}$/)],
  ];

  it.each(samples)('normalizing a normalized %s gives it back unchanged', (kind, arbitrary) => {
    fc.assert(
      fc.property(arbitrary, (raw) => {
        const once = normalizeIndicator(kind, raw);
        if (!once) return true;
        // The value is canonical; validity belongs to what was written (a lower-cased
        // EVM address has lost the EIP-55 checksum its original carried).
        expect(normalizeIndicator(kind, once.value)?.value).toBe(once.value);
        return true;
      }),
      { numRuns: 200 },
    );
  });

  /** Every (kind, value) found in a sentence around `written`. */
  const found = (written: string) =>
    extractIndicators(`see ${written} now`, { source: 'narrative' })
      .map((indicator) => `${indicator.kind}:${indicator.value}`)
      .sort();

  /** The ways people defang a dot, an @ and a scheme so that nobody taps the link. */
  const defanged = fc.record({
    dot: fc.constantFrom('[.]', '(.)', '{.}', '[dot]', '(dot)', ' [.] ', '[ . ]'),
    at: fc.constantFrom('[at]', '(at)', '[@]', ' [at] ', '(@)'),
    scheme: fc.boolean(),
  });
  const defang = (plain: string, form: { dot: string; at: string; scheme: boolean }) =>
    plain
      .replace(/^http/, form.scheme ? 'hxxp' : 'http')
      .replace(/\./g, form.dot)
      .replace(/@/g, form.at);

  it.each([
    ['domain', fc.domain()],
    ['e-mail address', fc.emailAddress()],
    ['link', fc.webUrl({ withQueryParameters: false, withFragments: false })],
  ])('a defanged %s yields what the plain one does', (_, arbitrary) => {
    fc.assert(
      fc.property(arbitrary, defanged, (plain, form) => {
        // An address that itself holds brackets ("{.}@a.aa", allowed by RFC 5322) reads as defanged already.
        fc.pre(!/[[\](){}]/.test(plain));
        expect(found(defang(plain, form))).toEqual(found(plain));
      }),
      { numRuns: 300 },
    );
  });

  /** An address split by spaces every `every` characters, or by one line break at `at`. */
  const broken = fc.oneof(
    fc.record({ every: fc.integer({ min: 4, max: 8 }) }),
    fc.record({ at: fc.integer({ min: 8, max: 30 }), space: fc.constantFrom('\n', ' \n', '\r\n', ' ') }),
  );
  const breakUp = (address: string, how: { every: number } | { at: number; space: string }) =>
    'every' in how
      ? address.match(new RegExp(`.{1,${how.every}}`, 'g'))!.join(' ')
      : `${address.slice(0, how.at)}${how.space}${address.slice(how.at)}`;

  it('a wallet with spaces or a line break inserted is read as the wallet', () => {
    fc.assert(
      fc.property(validAddress, broken, (address, how) => {
        const written = breakUp(address, how);
        // Each piece but the last is at least four characters: shorter ones are no wallet's pieces.
        fc.pre(
          written
            .split(/\s+/)
            .slice(0, -1)
            .every((piece) => piece.length >= 4),
        );
        const wallet = checkCryptoAddress(address)!;
        const indicators = extractIndicators(`send to ${written} please`, { source: 'narrative' });
        expect(indicators.map((indicator) => [indicator.kind, indicator.value, indicator.validity])).toContainEqual([
          'crypto_address',
          wallet.value,
          'valid',
        ]);
      }),
      { numRuns: 500 },
    );
  });

  it('a broken wallet with one character changed is not read as a valid wallet', () => {
    fc.assert(
      fc.property(validAddress, fc.nat(), fc.nat(), broken, (address, position, pick, how) => {
        const changed = withOneCharacterChanged(address, position, pick);
        if (!changed) return true;
        const indicators = extractIndicators(`send to ${breakUp(changed, how)} please`, { source: 'narrative' });
        expect(
          indicators.filter((indicator) => indicator.kind === 'crypto_address' && indicator.validity === 'valid'),
        ).toEqual([]);
        return true;
      }),
      { numRuns: 1000 },
    );
  });
});
