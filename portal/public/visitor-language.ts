import type { Context, MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { matchLanguage, type LanguageCode } from '../../intake/i18n/languages.js';
import { languageFromAcceptLanguage } from '../http/request-language.js';

const languageCookie = 'rl_lang';

/** The language the visitor chose, if they did: with a link now, or earlier in this visit (the session cookie). */
export function chosenLanguage(c: Context): LanguageCode | undefined {
  return matchLanguage(c.req.query('lang')) ?? matchLanguage(getCookie(c, languageCookie));
}

/** The visitor's language: the one they chose, else their browser's. */
export function visitorLanguage(c: Context): LanguageCode {
  return chosenLanguage(c) ?? languageFromAcceptLanguage(c.req.header('accept-language'));
}

/**
 * Remembers a language chosen with `?lang=` for the rest of the visit. A
 * session cookie only: nothing remains on the phone once the browser closes.
 */
export const rememberLanguageChoice: MiddlewareHandler = async (c, next) => {
  const chosen = matchLanguage(c.req.query('lang'));
  if (chosen) setCookie(c, languageCookie, chosen, { httpOnly: true, sameSite: 'Lax', path: '/' });
  await next();
};
