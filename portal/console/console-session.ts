import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { AccountStore, StaffRole, StaffUser } from '../../intake/accounts/account-store.js';
import type { FieldCipher } from '../../intake/crypto/field-cipher.js';
import { formToken, formTokenMatches } from '../public/form-token.js';
import { cleanTypedText } from '../../intake/report/clean-text.js';
import { formLimits } from '../http/form-limits.js';
import { isHttpsRequest } from '../http/https-request.js';
import { fieldText, FormBodyError, readForm, type FormFields } from '../http/read-form.js';

export interface ConsoleVariables {
  user: StaffUser;
  /** The session's token, to tie the page's form tokens to this session. */
  sessionToken: string;
  /** A post's fields, read once within the form limits, with characters that must never be stored taken out. */
  consoleForm: FormFields;
}

export type ConsoleEnv = { Variables: ConsoleVariables };

const sessionCookie = 'rl_staff';

/** The session cookie: unreadable by scripts, never sent by another site, gone when the browser closes. */
export function setSessionCookie(c: Context, token: string): void {
  setCookie(c, sessionCookie, token, { httpOnly: true, sameSite: 'Strict', path: '/', secure: isHttpsRequest(c) });
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
      let form: FormFields;
      try {
        form = (await readForm(c, { limits: formLimits.text })).fields;
      } catch (error) {
        if (error instanceof FormBodyError) return refuse(c, 'formExpired');
        throw error;
      }
      if (!formTokenMatches(cipher, `console:${token}`, fieldText(form, 'token'))) return refuse(c, 'formExpired');
      c.set(
        'consoleForm',
        Object.fromEntries(
          Object.entries(form).map(([name, value]) => [
            name,
            Array.isArray(value) ? value.map(cleanTypedText) : cleanTypedText(value),
          ]),
        ),
      );
    }
    await next();
    return undefined;
  };
}

/** The fields of the console form just posted (read by requireConsoleUser). */
export function postedForm(c: Context<ConsoleEnv>): FormFields {
  return c.get('consoleForm') ?? {};
}
