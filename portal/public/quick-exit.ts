import { Hono } from 'hono';
import { deleteCookie } from 'hono/cookie';
import { disguiseOf } from './disguise.js';
import { isHttpsRequest } from '../http/https-request.js';
import { publicPageHeaders } from './public-security.js';

/** Every cookie the public pages set, with the path it was set on: the exit expires each one. */
export const publicCookies: ReadonlyArray<{ name: string; path: string }> = [
  { name: 'rl_form', path: '/' },
  { name: 'rl_lang', path: '/' },
  { name: 'rl_report', path: '/report' },
  { name: 'rl_view', path: '/report' },
  { name: 'rl_chat', path: '/chat' },
  { name: 'rl_status', path: '/status' },
  { name: 'rl_notice', path: '/status' },
];

/** The page's address as an HTML attribute value (the deployment's setting, checked to be http(s) at start-up). */
function attribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

/**
 * The quick exit, `POST /leave`: ends this browser's visit (the form's draft,
 * the chat and the opened status page are unbound from it: their cookies
 * expire, and Clear-Site-Data asks the browser to drop cookies, storage and
 * its cache of our pages), then replaces the page with the neutral site.
 * Without a script the exit button is a form posting here; the answer is an
 * empty page whose refresh *replaces* it with the neutral site (a redirect
 * would be refused by the pages' `form-action 'self'`). With a script the
 * page posts here with fetch and then calls `location.replace()`.
 * Nothing is deleted on the server: the resume code still opens the draft,
 * and a sent report stays sent.
 */
export function createQuickExit() {
  const app = new Hono();
  app.use('/leave', ...publicPageHeaders);
  app.post('/leave', (c) => {
    const secure = isHttpsRequest(c);
    for (const cookie of publicCookies) deleteCookie(c, cookie.name, { path: cookie.path, secure });
    c.header('Clear-Site-Data', '"cache", "cookies", "storage"');
    const target = attribute(disguiseOf(c).exitUrl);
    return c.html(
      `<!doctype html><html><head><meta charset="utf-8"><meta name="referrer" content="no-referrer">` +
        `<meta http-equiv="refresh" content="0;url=${target}"><title></title></head>` +
        `<body><a href="${target}" rel="noreferrer">${target}</a></body></html>`,
    );
  });
  return app;
}
