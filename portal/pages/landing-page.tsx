import type { TFunction } from 'i18next';
import { languages, type LanguageCode } from '../../intake/i18n/languages.js';

/**
 * The front door: who we are, what to do in danger, and every language in its
 * own script. Deliberately plain HTML with no script or third-party asset.
 */
export function renderLandingPage(t: TFunction, language: LanguageCode): string {
  const direction = languages.find((info) => info.code === language)?.direction ?? 'ltr';
  const page = (
    <html lang={language} dir={direction}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>{t('appName')}</title>
      </head>
      <body>
        <main>
          <h1>{t('appName')}</h1>
          <p>{t('landing.purpose')}</p>
          <p>
            <strong>{t('landing.danger')}</strong>
          </p>
          <nav aria-label={t('landing.languages')}>
            <ul>
              {languages.map((info) => (
                <li>
                  <a href={`/?lang=${info.code}`} lang={info.code} dir={info.direction}>
                    {info.nativeName}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
        </main>
      </body>
    </html>
  );
  return `<!doctype html>${page.toString()}`;
}
