import { Hono, type Context } from 'hono';
import { deleteCookie, getCookie } from 'hono/cookie';
import type { i18n } from 'i18next';
import { systemClock, type Clock } from '../../intake/clock.js';
import type { FieldCipher } from '../../intake/crypto/field-cipher.js';
import { languages } from '../../intake/i18n/languages.js';
import type { BrowserVisit } from '../../intake/visits/end-browser-visit.js';
import { disguiseOf } from './disguise.js';
import { isHttpsRequest } from '../http/https-request.js';
import { visitorLanguage } from '../http/request-language.js';
import { publicPageHeaders } from './public-security.js';
import { draftCookie, readDraftCookie } from './report-form/draft-cookie.js';
import { readStatusCookie, statusCookie } from './status-cookie.js';
import { webChatCookie, webChatSessionOf } from './web-chat.js';

/**
 * Every cookie the public pages set, with the path it was set on: the exit
 * expires each one. The draft, chat and status cookies are on path `/` so
 * that `/leave` receives them and ends what they hold on the server; before
 * that they were scoped to their part, and a browser may still hold those.
 */
export const publicCookies: ReadonlyArray<{ name: string; path: string }> = [
  { name: 'rl_form', path: '/' },
  { name: 'rl_lang', path: '/' },
  { name: draftCookie, path: '/' },
  { name: draftCookie, path: '/report' },
  { name: 'rl_view', path: '/report' },
  { name: webChatCookie, path: '/' },
  { name: webChatCookie, path: '/chat' },
  { name: statusCookie, path: '/' },
  { name: statusCookie, path: '/status' },
  { name: 'rl_notice', path: '/status' },
];

export interface QuickExitDependencies {
  cipher: FieldCipher;
  /** The intake's endBrowserVisit, bound to its stores. */
  endVisit: (visit: BrowserVisit) => Promise<unknown>;
  /** A failure to end the visit on the server: the browser still leaves (logged with a stable code). */
  onFailure: (error: unknown) => void;
  now?: Clock;
}

/** The page's address as an HTML attribute value (the deployment's setting, checked to be http(s) at start-up). */
function attribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

/** What this browser's cookies hold on the server, each cookie's signature checked (an unsigned one holds nothing). */
function visitOf(c: Context, dependencies: QuickExitDependencies): BrowserVisit {
  const draft = readDraftCookie(dependencies.cipher, getCookie(c, draftCookie));
  const webChatSession = webChatSessionOf(getCookie(c, webChatCookie));
  const opened = readStatusCookie(dependencies.cipher, getCookie(c, statusCookie), (dependencies.now ?? systemClock)());
  return {
    ...(draft ? { draft } : {}),
    ...(webChatSession ? { webChatSession } : {}),
    ...(opened ? { statusPage: { visit: opened.visit, expiresAt: opened.expiresAt } } : {}),
  };
}

/**
 * The quick exit, `POST /leave`: ends this browser's visit, on the server and
 * in the browser, then replaces the page with the neutral site.
 * - On the server (the intake's endBrowserVisit): the form draft no longer
 *   opens from this browser's cookie or any copy of it, and stays reachable
 *   only by its resume code (a draft whose code was never shown, or one
 *   already sent, is deleted; a sent report stays sent); the web chat's
 *   transcript is deleted and its conversation stopped, so its old cookie
 *   opens a fresh, empty chat; the opened status page is revoked.
 * - In the browser: every public cookie expires, and Clear-Site-Data asks it
 *   to drop cookies, storage and its cache of our pages.
 * Without a script the exit button is a form posting here; the answer is an
 * empty page whose refresh *replaces* it with the neutral site (a redirect
 * would be refused by the pages' `form-action 'self'`). With a script the
 * page posts here with fetch and then calls `location.replace()`. A failure
 * on the server is logged and the browser still leaves: the person's safety
 * in front of whoever is watching comes first.
 */
export function createQuickExit(dependencies?: QuickExitDependencies, i18n?: i18n) {
  const app = new Hono();
  app.use('/leave', ...publicPageHeaders);
  app.post('/leave', async (c) => {
    if (dependencies) {
      try {
        await dependencies.endVisit(visitOf(c, dependencies));
      } catch (error) {
        dependencies.onFailure(error);
      }
    }
    const secure = isHttpsRequest(c);
    for (const cookie of publicCookies) deleteCookie(c, cookie.name, { path: cookie.path, secure });
    c.header('Clear-Site-Data', '"cache", "cookies", "storage"');
    const disguise = disguiseOf(c);
    const target = attribute(disguise.exitUrl);
    // Seen for an instant, and never kept in the history (the refresh replaces
    // it): still a whole page in the reader's language, under the neutral name.
    const language = visitorLanguage(c);
    const direction = languages.find((info) => info.code === language)?.direction ?? 'ltr';
    const title = attribute(disguise.neutralName ?? i18n?.getFixedT(language, 'portal')('disguise.title') ?? '');
    return c.html(
      `<!doctype html><html lang="${language}" dir="${direction}"><head><meta charset="utf-8">` +
        `<meta name="referrer" content="no-referrer"><meta name="viewport" content="width=device-width, initial-scale=1">` +
        `<meta http-equiv="refresh" content="0;url=${target}"><title>${title}</title></head>` +
        `<body><main><h1>${title}</h1><p><a href="${target}" rel="noreferrer">${target}</a></p></main></body></html>`,
    );
  });
  return app;
}
