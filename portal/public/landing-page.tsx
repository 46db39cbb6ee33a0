import { Hono, type Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import type { i18n } from 'i18next';
import { conversationCountries } from '../../intake/conversation/choice-options.js';
import { languages, matchLanguage, type LanguageCode } from '../../intake/i18n/languages.js';
import { languageFromAcceptLanguage } from '../http/request-language.js';
import { PublicPage } from './public-page.js';
import { publicPageHeaders } from './public-security.js';

export interface LandingDependencies {
  i18n: i18n;
  emergencyContacts: (country: string, language: LanguageCode) => Array<{ label: string; agency: string; phone?: string; url?: string }>;
}

const languageCookie = 'rl_lang';

/** The visitor's language: the one they chose (link, then the session cookie it set), else their browser's. */
export function visitorLanguage(c: Context): LanguageCode {
  return matchLanguage(c.req.query('lang')) ?? matchLanguage(getCookie(c, languageCookie)) ?? languageFromAcceptLanguage(c.req.header('accept-language'));
}

/**
 * The front door: what Reportline is, the emergency numbers of the country
 * the visitor picks, the ways to report, and every language in its own script.
 */
export function createLandingPage({ i18n, emergencyContacts }: LandingDependencies) {
  const app = new Hono();
  app.use('/', ...publicPageHeaders);
  app.get('/', (c) => {
    const language = visitorLanguage(c);
    const chosen = matchLanguage(c.req.query('lang'));
    // A session cookie only: nothing remains on the phone once the browser closes.
    if (chosen) setCookie(c, languageCookie, chosen, { httpOnly: true, sameSite: 'Lax', path: '/' });
    const t = i18n.getFixedT(language, 'portal');
    const country = /^[A-Z]{2}$/.test(c.req.query('country') ?? '') ? c.req.query('country')! : undefined;
    const contacts = country ? emergencyContacts(country, language) : [];
    const names = new Intl.DisplayNames([language, 'en'], { type: 'region' });
    const page = (
      <PublicPage t={t} language={language} title={t('landing.title')}>
        <h1>{t('landing.title')}</h1>
        <p>{t('landing.purpose')}</p>
        <section aria-labelledby="danger">
          <h2 id="danger">{t('landing.dangerTitle')}</h2>
          <form method="get" action="/">
            <input type="hidden" name="lang" value={language} />
            <label for="country">{t('landing.chooseCountry')}</label>
            <select id="country" name="country">
              {conversationCountries.map((code) => (
                <option value={code} selected={code === country}>
                  {names.of(code) ?? code}
                </option>
              ))}
            </select>
            <p>
              <button type="submit">{t('landing.show')}</button>
            </p>
          </form>
          {country ? (
            contacts.length > 0 ? (
              <ul>
                {contacts.map((contact) => (
                  <li>
                    {contact.label} ({contact.agency}):{' '}
                    {contact.phone ? <a href={`tel:${contact.phone.replace(/[^\d+#]/g, '')}`}>{contact.phone}</a> : <a href={contact.url} rel="noreferrer">{contact.url}</a>}
                  </li>
                ))}
              </ul>
            ) : (
              <p>{t('landing.noNumbers')}</p>
            )
          ) : null}
        </section>
        <section aria-labelledby="ways">
          <h2 id="ways">{t('landing.waysTitle')}</h2>
          <p>
            <a class="button" href={`/chat?lang=${language}`}>
              {t('landing.chat')}
            </a>
          </p>
          <p class="hint">{t('landing.chatHint')}</p>
          <p>
            <a class="button" href="/status">
              {t('landing.status')}
            </a>
          </p>
          <p class="hint">{t('landing.statusHint')}</p>
        </section>
        <nav aria-label={t('landing.languages')}>
          <h2>{t('landing.languages')}</h2>
          <ul>
            {languages.map((info) => (
              <li>
                <a href={`/?lang=${info.code}`} lang={info.code} dir={info.direction} hreflang={info.code}>
                  {info.nativeName}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      </PublicPage>
    );
    return c.html(`<!doctype html>${page.toString()}`);
  });
  return app;
}
