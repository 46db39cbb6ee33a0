import { fallbackLanguage, matchLanguage, type LanguageCode } from '../../intake/i18n/languages.js';

/**
 * The best project language for an Accept-Language header, honouring q-values
 * (`th;q=0.9, en;q=0.5` → th), falling back to English.
 */
export function languageFromAcceptLanguage(header: string | undefined): LanguageCode {
  if (!header) return fallbackLanguage;
  const ranked = header
    .split(',')
    .map((part, index) => {
      const [tag = '', ...parameters] = part.trim().split(';');
      const q = parameters.map((p) => p.trim()).find((p) => p.startsWith('q='));
      const weight = q ? Number.parseFloat(q.slice(2)) : 1;
      return { tag, weight: Number.isFinite(weight) ? weight : 0, index };
    })
    .filter((entry) => entry.weight > 0)
    .sort((a, b) => b.weight - a.weight || a.index - b.index);
  for (const entry of ranked) {
    const language = matchLanguage(entry.tag);
    if (language) return language;
  }
  return fallbackLanguage;
}
