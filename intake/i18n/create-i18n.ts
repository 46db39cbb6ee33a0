import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import i18next, { type i18n, type Resource } from 'i18next';
import { bidiIsolatingFormatter } from './bidi-isolation.js';
import { fallbackLanguage, languageCodes } from './languages.js';

/**
 * Reads every `locales/<language>/<namespace>.json` once, synchronously, so a
 * translation is available the moment the process starts serving.
 */
export function loadLocaleResources(localesDir: string): Resource {
  const resources: Resource = {};
  for (const language of languageCodes) {
    const languageDir = join(localesDir, language);
    const namespaces: Record<string, unknown> = {};
    for (const file of readdirSync(languageDir)
      .filter((name) => name.endsWith('.json'))
      .sort()) {
      namespaces[file.replace(/\.json$/, '')] = JSON.parse(readFileSync(join(languageDir, file), 'utf8'));
    }
    resources[language] = namespaces as Resource[string];
  }
  return resources;
}

/**
 * A fresh i18next instance (never the global one), with English as the
 * fallback. In a right-to-left language every inserted value (a number, a
 * reference, a URL, an agency's name) comes isolated, so it reads whole in
 * every chat and page (see bidi-isolation.ts).
 */
export function createI18n(resources: Resource): i18n {
  const instance = i18next.createInstance().use(bidiIsolatingFormatter);
  void instance.init({
    resources,
    initAsync: false,
    lng: fallbackLanguage,
    fallbackLng: fallbackLanguage,
    supportedLngs: [...languageCodes],
    ns: Object.keys(resources[fallbackLanguage] ?? {}),
    defaultNS: 'common',
    interpolation: { escapeValue: false, alwaysFormat: true },
    returnNull: false,
  });
  return instance;
}

export const defaultLocalesDir = new URL('../../locales/', import.meta.url).pathname;
