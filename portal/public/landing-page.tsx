import { Hono, type Context } from 'hono';
import type { i18n } from 'i18next';
import { conversationCountries } from '../../intake/conversation/choice-options.js';
import { languages, type LanguageCode } from '../../intake/i18n/languages.js';
import { EmergencyContactList } from './emergency-contact-list.js';
import { htmlDocument } from '../page-frame.js';
import { PublicPage } from './public-page.js';
import { publicPageHeaders } from './public-security.js';
import { visitorLanguage } from '../http/request-language.js';
import { fieldText, FormBodyError, readForm } from '../http/read-form.js';
import { formLimits } from '../http/form-limits.js';
import { disguiseOf } from './disguise.js';
import { CheckBox } from './check-page.js';
import { suggestedCheckCountry } from './check-country.js';

export interface LandingDependencies {
  i18n: i18n;
  emergencyContacts: (
    country: string,
    language: LanguageCode,
  ) => Array<{ label: string; agency: string; phone?: string; url?: string }>;
  /** "Check before you pay" (check-page.tsx): the box's anti-forgery token for this browser, when checks run here. */
  checkToken?: (c: Context) => string;
}

/**
 * The front door: what Reportline is, how to leave no trace on the phone, the
 * emergency numbers of the country the visitor picks, the ways to report, and
 * every language in its own script. The country is posted, never put in the
 * address, so the history does not say where the visitor is.
 */
export function createLandingPage({ i18n, emergencyContacts, checkToken }: LandingDependencies) {
  const app = new Hono();
  app.use('/', ...publicPageHeaders);

  function landing(c: Context, country: string | undefined) {
    const language = visitorLanguage(c);
    const t = i18n.getFixedT(language, 'portal');
    const contacts = country ? emergencyContacts(country, language) : [];
    const names = new Intl.DisplayNames([language, 'en'], { type: 'region' });
    const page = (
      <PublicPage t={t} language={language} disguise={disguiseOf(c)}>
        <h1>{t('landing.title')}</h1>
        <p>{t('landing.purpose')}</p>
        <details class="privacy">
          <summary>{t('privacy.title')}</summary>
          <p>{t('privacy.privateTab')}</p>
          <p>{t('privacy.clearHistory')}</p>
          <p>{t('privacy.leave')}</p>
        </details>
        <section aria-labelledby="danger">
          <h2 id="danger">{t('landing.dangerTitle')}</h2>
          <p>
            {/* Straight to the safety questions, whose "send now" leads to the short urgent page. */}
            <a class="button primary" href={`/report?go=safety&lang=${language}`}>
              {t('form.urgent.sendNow')}
            </a>
          </p>
          <form method="post" action={`/?lang=${language}`} autocomplete="off">
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
          {country ? <EmergencyContactList contacts={contacts} emptyText={t('landing.noNumbers')} /> : null}
        </section>
        <section aria-labelledby="ways">
          <h2 id="ways">{t('landing.waysTitle')}</h2>
          <p>
            <a class="button primary" href={`/report?lang=${language}`}>
              {t('landing.form')}
            </a>
          </p>
          <p class="hint">{t('landing.formHint')}</p>
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
        {checkToken ? (
          <section aria-labelledby="check">
            <h2 id="check">{t('check.title')}</h2>
            <p>{t('check.intro')}</p>
            <CheckBox
              t={t}
              language={language}
              token={checkToken(c)}
              country={country ?? suggestedCheckCountry(c, language)}
            />
          </section>
        ) : null}
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
    return c.html(htmlDocument(page));
  }

  app.get('/', (c) => landing(c, undefined));
  app.post('/', async (c) => {
    let country: string | undefined;
    try {
      country = fieldText((await readForm(c, { limits: formLimits.small })).fields, 'country');
    } catch (error) {
      // A body that cannot be read chose no country: the page is shown without numbers.
      if (!(error instanceof FormBodyError)) throw error;
    }
    return landing(c, country && /^[A-Z]{2}$/.test(country) ? country : undefined);
  });
  return app;
}
