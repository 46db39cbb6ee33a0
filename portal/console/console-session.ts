import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { AccountStore, StaffRole, StaffUser } from '../../intake/accounts/account-store.js';
import type { FieldCipher } from '../../intake/crypto/field-cipher.js';
import { formToken, formTokenMatches } from '../public/form-token.js';

export interface ConsoleVariables {
  user: StaffUser;
  /** The session's token, to tie the page's form tokens to this session. */
  sessionToken: string;
}

export type ConsoleEnv = { Variables: ConsoleVariables };

const sessionCookie = 'rl_staff';

/** The session cookie: unreadable by scripts, never sent by another site, gone when the browser closes. */
export function setSessionCookie(c: Context, token: string): void {
  setCookie(c, sessionCookie, token, { httpOnly: true, sameSite: 'Strict', path: '/', secure: c.req.url.startsWith('https:') });
}

export function clearSessionCookie(c: Context): void {
  deleteCookie(c, sessionCookie, { path: '/' });
}

export function sessionTokenOf(c: Context): string | undefined {
  const token = getCookie(c, sessionCookie);
  return token && /^[A-Za-z0-9_-]{20,100}$/.test(token) ? token : undefined;
}

/** The anti-forgery token of every console form: tied to the session, so it dies with it. */
export function consoleFormToken(cipher: FieldCipher, c: Context<ConsoleEnv>): string {
  return formToken(cipher, `console:${c.get('sessionToken')}`);
}

/**
 * Lets through only a signed-in account of one of the roles; anyone else is
 * sent to sign in (or, signed in with another role, refused). Every post
 * must carry the form token of a page shown in this session.
 */
export function requireConsoleUser(
  accounts: AccountStore,
  cipher: FieldCipher,
  roles: readonly StaffRole[],
  /** The page for a refusal: `forbidden` (not for this role), `formExpired` (a post without this session's token). */
  refuse: (c: Context, reason: 'forbidden' | 'formExpired') => Response | Promise<Response>,
): MiddlewareHandler<ConsoleEnv> {
  return async (c, next) => {
    const token = sessionTokenOf(c);
    const user = token ? await accounts.userForSession(token) : undefined;
    if (!token || !user) {
      if (token) clearSessionCookie(c);
      const next = c.req.method === 'GET' ? `?next=${encodeURIComponent(c.req.path)}` : '';
      return c.redirect(`/staff/login${next}`, 303);
    }
    if (!roles.includes(user.role)) return refuse(c, 'forbidden');
    c.set('user', user);
    c.set('sessionToken', token);
    if (c.req.method === 'POST') {
      const form = await c.req.parseBody();
      if (!formTokenMatches(cipher, `console:${token}`, typeof form.token === 'string' ? form.token : undefined)) return refuse(c, 'formExpired');
    }
    await next();
    return undefined;
  };
}
