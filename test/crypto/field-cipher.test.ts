import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DataKeyError, parseDataKey } from '../../intake/crypto/data-key.js';
import { DecryptionError, FieldCipher } from '../../intake/crypto/field-cipher.js';

describe('field encryption', () => {
  const cipher = new FieldCipher(randomBytes(32));

  it('decrypts to exactly what was written, in any script', () => {
    for (const text of ['', 'plain', '동생이 캄보디아에 있습니다', 'ถูกหลอกให้ลงทุน 😢', 'مرحبا', '\u0000\uffff']) {
      const sealed = cipher.encrypt(text, 'report:1:content');
      expect(sealed).not.toContain(text || '\u0001');
      expect(cipher.decrypt(sealed, 'report:1:content')).toBe(text);
    }
  });

  it('never produces the same ciphertext twice for the same value', () => {
    expect(cipher.encrypt('same', 'c')).not.toBe(cipher.encrypt('same', 'c'));
  });

  it('refuses a ciphertext moved to another context, tampered with, or read with another key', () => {
    const sealed = cipher.encrypt('secret narrative', 'report:1:content');
    expect(() => cipher.decrypt(sealed, 'report:2:content')).toThrow(DecryptionError);
    const bytes = Buffer.from(sealed.slice(3), 'base64');
    bytes[20] = (bytes[20] ?? 0) ^ 1;
    expect(() => cipher.decrypt(`v1.${bytes.toString('base64')}`, 'report:1:content')).toThrow(DecryptionError);
    expect(() => new FieldCipher(randomBytes(32)).decrypt(sealed, 'report:1:content')).toThrow(DecryptionError);
  });

  it('gives a blind index that is stable for a value, differs by scope, and depends on the key', () => {
    const a = cipher.blindIndex('indicator:phone', '+85512345678');
    expect(cipher.blindIndex('indicator:phone', '+85512345678')).toBe(a);
    expect(cipher.blindIndex('indicator:whatsapp', '+85512345678')).not.toBe(a);
    expect(new FieldCipher(randomBytes(32)).blindIndex('indicator:phone', '+85512345678')).not.toBe(a);
    expect(a).not.toContain('85512345678');
  });

  it('matches a secret only against its own hash', () => {
    const stored = cipher.hashSecret('receipt', '4XK9-M2QD-7TRB');
    expect(cipher.secretMatches('receipt', '4XK9-M2QD-7TRB', stored)).toBe(true);
    expect(cipher.secretMatches('receipt', '4XK9-M2QD-7TRC', stored)).toBe(false);
  });
});

describe('the data key', () => {
  it('is read from 64 hex digits or base64 of 32 bytes', () => {
    const key = randomBytes(32);
    expect(parseDataKey(key.toString('hex'))).toEqual(key);
    expect(parseDataKey(key.toString('base64'))).toEqual(key);
    expect(parseDataKey(key.toString('base64url'))).toEqual(key);
  });

  it('is refused when it is too short or not a key at all', () => {
    expect(() => parseDataKey('changeme')).toThrow(DataKeyError);
    expect(() => parseDataKey(randomBytes(16).toString('hex'))).toThrow(DataKeyError);
  });
});
