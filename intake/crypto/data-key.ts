import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export class DataKeyError extends Error {
  readonly code = 'config.data_key_invalid';
}

/**
 * Parses REPORTLINE_DATA_KEY: 32 random bytes written as 64 hex digits or as
 * base64 (standard or URL-safe). Anything else is refused, because a short or
 * mistyped key would silently weaken every encrypted field.
 */
export function parseDataKey(text: string): Buffer {
  const trimmed = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) return Buffer.from(trimmed, 'hex');
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(trimmed)) {
    const key = Buffer.from(trimmed.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    if (key.length === 32) return key;
  }
  throw new DataKeyError('expected 32 random bytes as 64 hex digits or 44 base64 characters (e.g. the output of `openssl rand -base64 32`)');
}

/**
 * Development convenience: reuses or creates a key file next to the database so
 * `npm start` works on a fresh clone. The file is readable by its owner only.
 */
export function loadOrCreateDevelopmentKey(file: string): { key: Buffer; created: boolean } {
  if (existsSync(file)) return { key: parseDataKey(readFileSync(file, 'utf8')), created: false };
  mkdirSync(dirname(file), { recursive: true });
  const key = randomBytes(32);
  writeFileSync(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  return { key, created: true };
}
