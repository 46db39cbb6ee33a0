import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Time-based one-time passwords (RFC 6238: HMAC-SHA1, 30-second steps, six
 * digits), the kind every authenticator app reads from an otpauth:// URI.
 */
const base32Alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function newTotpSecret(): string {
  const bytes = randomBytes(20);
  let bits = '';
  for (const byte of bytes) bits += byte.toString(2).padStart(8, '0');
  return (bits.match(/.{5}/g) ?? []).map((chunk) => base32Alphabet[Number.parseInt(chunk, 2)]).join('');
}

function base32Decode(secret: string): Buffer {
  const bits = [...secret.replace(/=+$/, '').toUpperCase()]
    .map((char) => {
      const index = base32Alphabet.indexOf(char);
      if (index < 0) throw new Error('not a base32 secret');
      return index.toString(2).padStart(5, '0');
    })
    .join('');
  return Buffer.from((bits.match(/.{8}/g) ?? []).map((byte) => Number.parseInt(byte, 2)));
}

export function totpAt(secret: string, time: Date, stepOffset = 0): string {
  const counter = Math.floor(time.getTime() / 30_000) + stepOffset;
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const digest = createHmac('sha1', base32Decode(secret)).update(message).digest();
  const offset = (digest[digest.length - 1] ?? 0) & 0x0f;
  const code = (digest.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return String(code).padStart(6, '0');
}

/** Accepts the current code and the one before or after it, for a phone whose clock drifts. */
export function verifyTotp(secret: string, code: string, time: Date): boolean {
  const given = Buffer.from(code.replace(/\s/g, ''));
  return [-1, 0, 1].some((offset) => {
    const expected = Buffer.from(totpAt(secret, time, offset));
    return expected.length === given.length && timingSafeEqual(expected, given);
  });
}

export function totpUri(secret: string, account: string): string {
  return `otpauth://totp/${encodeURIComponent(`Reportline:${account}`)}?secret=${secret}&issuer=Reportline&algorithm=SHA1&digits=6&period=30`;
}
