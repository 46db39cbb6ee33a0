import type { Context, MiddlewareHandler } from 'hono';
import { setCookie } from 'hono/cookie';
import { detectFromCookie, detectFromQuery, languageDetector, type DetectorOptions } from 'hono/language';
import { fallbackLanguage, languageCodes, matchLanguage, type LanguageCode } from '../../intake/i18n/languages.js';
import { isHttpsRequest } from './https-request.js';

/** Where the request's language came from: a `?lang=` link now, a choice earlier in this visit, or the browser. */
export type LanguageSource = 'link' | 'visit' | 'browser';

declare module 'hono' {
  interface ContextVariableMap {
    languageSource: LanguageSource;
  }
}

const languageCookie = 'rl_lang';

/**
 * hono's own detector, in its order (`?lang=`, then the cookie, then
 * Accept-Language with its q-values), over the project's languages. Its
 * cookie cache stays off: it would keep the language for a year (its default
 * Max-Age) and store even a language only guessed from the browser, which
 * would then outrank a chat's or a draft's own language as if chosen.
 */
const detectorOptions: DetectorOptions = {
  order: ['querystring', 'cookie', 'header'],
  lookupQueryString: 'lang',
  lookupCookie: languageCookie,
  lookupFromHeaderKey: 'accept-language',
  lookupFromPathIndex: 0,
  caches: false,
  ignoreCase: true,
  fallbackLanguage,
  supportedLanguages: [...languageCodes],
  // Tags hono's prefix match misses: `tl` and `in` (old Android phones), `zsm`, `zh_CN`.
  convertDetectedLanguage: (tag) => matchLanguage(tag) ?? tag,
};

const detector = languageDetector(detectorOptions);

/**
 * Applied once for the whole portal: puts the visitor's language in the
 * context, and remembers a language chosen with `?lang=` for the rest of the
 * visit. A session cookie only (no expiry): nothing remains on a phone that is
 * watched once the browser closes.
 */
export const detectLanguage: MiddlewareHandler = (c, next) =>
  detector(c, async () => {
    const linked = detectFromQuery(c, detectorOptions);
    const remembered = linked ? undefined : detectFromCookie(c, detectorOptions);
    c.set('languageSource', linked ? 'link' : remembered ? 'visit' : 'browser');
    if (linked)
      setCookie(c, languageCookie, linked, { httpOnly: true, sameSite: 'Lax', path: '/', secure: isHttpsRequest(c) });
    await next();
  });

/** The visitor's language: the one they chose, else their browser's, else English. */
export function visitorLanguage(c: Context): LanguageCode {
  return matchLanguage(c.get('language')) ?? fallbackLanguage;
}

/** The language the visitor chose, if they did: with a link now, or earlier in this visit. */
export function chosenLanguage(c: Context): LanguageCode | undefined {
  return c.get('languageSource') === 'browser' ? undefined : matchLanguage(c.get('language'));
}

/** The language this very request's `?lang=` link names, if any. */
export function linkedLanguage(c: Context): LanguageCode | undefined {
  return c.get('languageSource') === 'link' ? matchLanguage(c.get('language')) : undefined;
}
