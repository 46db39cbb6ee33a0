import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';

function scrypt(password: string, salt: Buffer, length: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCallback(password.normalize('NFKC'), salt, length, options, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

/**
 * scrypt with N=2^15, r=8, p=1 (OWASP's minimum for scrypt): about 32 MiB
 * and tens of milliseconds per guess, run off the main thread by libuv.
 * Stored as `scrypt$N$r$p$salt$hash` so parameters can be raised later and
 * old hashes still verify.
 */
const defaults = { N: 2 ** 15, r: 8, p: 1 };
const keyLength = 32;

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, keyLength, { ...defaults, maxmem: 64 * 1024 * 1024 });
  return ['scrypt', defaults.N, defaults.r, defaults.p, salt.toString('base64'), key.toString('base64')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const key = await scrypt(password, Buffer.from(salt, 'base64'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: 256 * 1024 * 1024,
  });
  return timingSafeEqual(key, expected);
}

/**
 * A stored hash no password matches (its key is all zeros), with the same
 * parameters as every real hash: checking a password against it costs
 * exactly what checking against an account's costs, so an unknown or
 * disabled username answers in the time a wrong password does.
 */
export const decoyPasswordHash = [
  'scrypt',
  defaults.N,
  defaults.r,
  defaults.p,
  Buffer.alloc(16).toString('base64'),
  Buffer.alloc(keyLength).toString('base64'),
].join('$');
