import { Hono, type Context } from 'hono';
import type { i18n } from 'i18next';
import type { AccountStore } from '../../intake/accounts/account-store.js';
import type { Clock } from '../../intake/clock.js';
import type { FieldCipher } from '../../intake/crypto/field-cipher.js';
import { browserFormToken, browserFormTokenMatches } from '../public/browser-session.js';
import { clientAddress } from '../public/client-address.js';
import { publicPageHeaders } from '../public/public-security.js';
import { RateLimiter } from '../public/rate-limiter.js';
import type { RateLimits } from '../../intake/limits/rate-limits.js';
import { visitorLanguage } from '../http/request-language.js';
import { htmlDocument } from '../page-frame.js';
import { ConsolePage } from './console-page.js';
import { formLimits } from '../http/form-limits.js';
import { FormBodyError, readForm, type FormFields } from '../http/read-form.js';
import { clearSessionCookie, sessionTokenOf, setSessionCookie } from './console-session.js';

export interface LoginDependencies {
  accounts: AccountStore;
  cipher: FieldCipher;
  i18n: i18n;
  trustProxy?: boolean;
  now?: Clock;
  /** The deployment's shared rate limits (PostgreSQL, Redis or memory); without them each limiter counts alone. */
  limits?: RateLimits | undefined;
}

/** Where a sign-in may lead back to: a console page, never another site. */
function safeNext(next: string | undefined): string | undefined {
  return next && /^\/(staff|agency)(\/[\w\-/.%]*)?(\?[\w=&%\-.]*)?$/.test(next) && !next.startsWith('/staff/login')
    ? next
    : undefined;
}

/**
 * Signing in and out of the staff console and the agency inbox. Tries are
 * limited per client here; a username (an account's or not, counted alike
 * by the account store) locks after five wrong sign-ins in a row. An
 * existing and an unknown name get the same answer at every try: the same
 * status, page and cookies.
 */
export function createLoginRoutes(dependencies: LoginDependencies) {
  const { accounts, cipher, i18n } = dependencies;
  const limiter = (limit: number) =>
    new RateLimiter({
      limit,
      windowMs: 15 * 60_000,
      ...(dependencies.now ? { now: dependencies.now } : {}),
      // Sign-in fails closed: with the shared store down nobody gets unlimited guesses at a password.
      name: 'sign-in.per-client',
      whenStoreDown: 'refuse',
      limits: dependencies.limits,
    });
  const perClient = limiter(30);
  const app = new Hono();
  app.use('/staff/login', ...publicPageHeaders);
  app.use('/staff/logout', ...publicPageHeaders);

  function form(c: Context, error?: string, username = '', status: 200 | 400 | 401 | 429 = 200) {
    const language = visitorLanguage(c);
    const t = i18n.getFixedT(language, 'staff');
    const next = safeNext(c.req.query('next'));
    const page = (
      <ConsolePage t={t} language={language} title={t('login.title')}>
        <div class="login">
          <h1>{t('login.title')}</h1>
          {error ? (
            <p class="error" role="alert" id="login-error" data-message={error}>
              {t(error)}
            </p>
          ) : null}
          <form method="post" action={`/staff/login${next ? `?next=${encodeURIComponent(next)}` : ''}`} class="stacked">
            <input type="hidden" name="token" value={browserFormToken(cipher, c)} />
            <div>
              <label for="username">{t('login.username')}</label>
              <input
                type="text"
                id="username"
                name="username"
                value={username}
                autocomplete="username"
                required
                aria-describedby={error ? 'login-error' : undefined}
              />
            </div>
            <div>
              <label for="password">{t('login.password')}</label>
              <input type="password" id="password" name="password" autocomplete="current-password" required />
            </div>
            <div>
              <label for="code">{t('login.code')}</label>
              <p class="hint" id="code-hint">
                {t('login.codeHint')}
              </p>
              <input
                type="text"
                id="code"
                name="code"
                inputmode="numeric"
                autocomplete="one-time-code"
                aria-describedby="code-hint"
              />
            </div>
            <button type="submit" class="primary">
              {t('login.signIn')}
            </button>
          </form>
        </div>
      </ConsolePage>
    );
    return c.html(htmlDocument(page), status);
  }

  app.get('/staff/login', (c) => form(c));

  app.post('/staff/login', async (c) => {
    let body: FormFields;
    try {
      body = (await readForm(c, { limits: formLimits.small })).fields;
    } catch (error) {
      if (error instanceof FormBodyError) return form(c, 'login.expired', '', 400);
      throw error;
    }
    const username = typeof body.username === 'string' ? body.username.trim().slice(0, 100) : '';
    // Shown back in the form without control characters; the store is given what was typed, and refuses it.
    const shown = username.replace(/\p{Cc}/gu, '');
    const password = typeof body.password === 'string' ? body.password.slice(0, 1000) : '';
    const code =
      typeof body.code === 'string' && body.code.trim() ? body.code.replace(/\s/g, '').slice(0, 10) : undefined;
    if (!browserFormTokenMatches(cipher, c, body.token)) return form(c, 'login.expired', shown, 400);
    if (!(await perClient.allow(clientAddress(c, dependencies.trustProxy ?? false))))
      return form(c, 'login.locked', shown, 429);
    const result = await accounts.login(username, password, code);
    if (!result.ok) {
      const key =
        result.reason === 'locked'
          ? 'login.locked'
          : result.reason === 'second_factor_required'
            ? 'login.codeNeeded'
            : 'login.invalid';
      return form(c, key, shown, result.reason === 'locked' ? 429 : 401);
    }
    setSessionCookie(c, await accounts.startSession(result.user.id));
    // Back where they were, if that is their side of the console; else their home.
    const home = result.user.role === 'agency' ? '/agency' : '/staff';
    const next = safeNext(c.req.query('next'));
    return c.redirect(next && next.startsWith(home) ? next : home, 303);
  });

  app.post('/staff/logout', async (c) => {
    const token = sessionTokenOf(c);
    // A sign-out cannot be forged to harm anyone; it is honoured whatever the form says.
    if (token) await accounts.endSession(token);
    clearSessionCookie(c);
    return c.redirect('/staff/login', 303);
  });

  return app;
}
