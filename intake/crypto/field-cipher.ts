import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';

const formatPrefix = 'v1.';
const ivLength = 12;
const tagLength = 16;

function deriveKey(master: Buffer, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), `reportline/${purpose}`, 32));
}

export class DecryptionError extends Error {
  readonly code = 'crypto.decryption_failed';
}

/**
 * Encrypts personal data at rest (AES-256-GCM) and computes blind indexes
 * (HMAC-SHA256) for values that must be found again without decrypting every
 * row. Separate keys are derived for each purpose so that a leaked blind index
 * key never helps decrypt anything.
 *
 * Every ciphertext is bound to a context (for example `report:<id>:content`) as
 * additional authenticated data: a ciphertext copied into another row does not
 * decrypt there.
 */
export class FieldCipher {
  readonly #encryptionKey: Buffer;
  readonly #blindIndexKey: Buffer;
  readonly #secretHashKey: Buffer;
  readonly #checkPartnerKey: Buffer;

  constructor(masterKey: Buffer) {
    if (masterKey.length !== 32) throw new Error('the data key must be 32 bytes');
    this.#encryptionKey = deriveKey(masterKey, 'encryption/v1');
    this.#blindIndexKey = deriveKey(masterKey, 'blind-index/v1');
    this.#secretHashKey = deriveKey(masterKey, 'secret-hash/v1');
    // Handed to partners of the check range API (intake/check/partner-hash.ts): its own HKDF label, so holding it
    // tells nothing about the data key or any key above (HKDF outputs under different labels are independent).
    this.#checkPartnerKey = deriveKey(masterKey, 'check-partner/v1');
  }

  /** The key partners hash indicators with for the check range API; a copy, safe to hand out. */
  checkPartnerKey(): Buffer {
    return Buffer.from(this.#checkPartnerKey);
  }

  encrypt(plaintext: string, context: string): string {
    const iv = randomBytes(ivLength);
    const cipher = createCipheriv('aes-256-gcm', this.#encryptionKey, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return formatPrefix + Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64');
  }

  decrypt(ciphertext: string, context: string): string {
    if (!ciphertext.startsWith(formatPrefix)) throw new DecryptionError('unknown ciphertext format');
    const raw = Buffer.from(ciphertext.slice(formatPrefix.length), 'base64');
    if (raw.length < ivLength + tagLength) throw new DecryptionError('ciphertext too short');
    const decipher = createDecipheriv('aes-256-gcm', this.#encryptionKey, raw.subarray(0, ivLength));
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(raw.subarray(raw.length - tagLength));
    try {
      return Buffer.concat([
        decipher.update(raw.subarray(ivLength, raw.length - tagLength)),
        decipher.final(),
      ]).toString('utf8');
    } catch {
      throw new DecryptionError('ciphertext does not authenticate (wrong key or context, or tampered)');
    }
  }

  encryptJson(value: unknown, context: string): string {
    return this.encrypt(JSON.stringify(value), context);
  }

  decryptJson<T>(ciphertext: string, context: string): T {
    return JSON.parse(this.decrypt(ciphertext, context)) as T;
  }

  /** Deterministic keyed hash of a normalized value, scoped by what the value is. */
  blindIndex(scope: string, normalizedValue: string): string {
    return createHmac('sha256', this.#blindIndexKey).update(`${scope}\u0000${normalizedValue}`).digest('base64url');
  }

  /** Keyed hash of a secret a person holds (a receipt code), for storage. */
  hashSecret(scope: string, secret: string): string {
    return createHmac('sha256', this.#secretHashKey).update(`${scope}\u0000${secret}`).digest('base64url');
  }

  secretMatches(scope: string, secret: string, storedHash: string): boolean {
    const candidate = Buffer.from(this.hashSecret(scope, secret));
    const stored = Buffer.from(storedHash);
    return candidate.length === stored.length && timingSafeEqual(candidate, stored);
  }
}
