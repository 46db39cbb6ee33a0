import { randomBytes } from 'node:crypto';
import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ensurePrivateDirectory } from '../store/private-paths.js';

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
  throw new DataKeyError(
    'expected 32 random bytes as 64 hex digits or 44 base64 characters (e.g. the output of `openssl rand -base64 32`)',
  );
}

/**
 * Development convenience: reuses or creates a key file next to the database so
 * `npm start` works on a fresh clone. The file is readable by its owner only
 * (0600, in a 0700 folder, whatever the umask); an existing one is set to 0600.
 */
export function loadOrCreateDevelopmentKey(file: string): { key: Buffer; created: boolean } {
  const existing = statSync(file, { throwIfNoEntry: false });
  if (existing) {
    if ((existing.mode & 0o777) !== 0o600) chmodSync(file, 0o600);
    return { key: parseDataKey(readFileSync(file, 'utf8')), created: false };
  }
  ensurePrivateDirectory(dirname(file));
  const key = randomBytes(32);
  writeFileSync(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  // The mode above is narrowed by the umask, never widened; set it exactly.
  chmodSync(file, 0o600);
  return { key, created: true };
}
