import { randomBytes } from 'node:crypto';
import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import type { FieldCipher } from '../../intake/crypto/field-cipher.js';
import { formToken, formTokenMatches } from './form-token.js';

const browserCookie = 'rl_form';
const pattern = /^[A-Za-z0-9_-]{32}$/;

/**
 * A random id for this browser visit (a session cookie), to tie a form's
 * anti-forgery token to the browser it was shown in, and to count its tries.
 * It says nothing about the person and is stored nowhere.
 */
export function browserSession(c: Context): string {
  const existing = getCookie(c, browserCookie);
  if (existing && pattern.test(existing)) return existing;
  const created = randomBytes(24).toString('base64url');
  setCookie(c, browserCookie, created, {
    httpOnly: true,
    sameSite: 'Strict',
    path: '/',
    secure: c.req.url.startsWith('https:'),
  });
  return created;
}

/** The browser's session id, only when it already has one (a post without it is refused). */
export function existingBrowserSession(c: Context): string | undefined {
  const existing = getCookie(c, browserCookie);
  return existing && pattern.test(existing) ? existing : undefined;
}

export function browserFormToken(cipher: FieldCipher, c: Context): string {
  return formToken(cipher, browserSession(c));
}

/** Whether a posted form came from a page we showed this browser. */
export function browserFormTokenMatches(cipher: FieldCipher, c: Context, token: unknown): boolean {
  const session = existingBrowserSession(c);
  return session !== undefined && formTokenMatches(cipher, session, typeof token === 'string' ? token : undefined);
}
