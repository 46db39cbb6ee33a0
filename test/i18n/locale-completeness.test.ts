import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defaultLocalesDir, loadLocaleResources } from '../../intake/i18n/create-i18n.js';
import { languageCodes } from '../../intake/i18n/languages.js';

/** Every leaf of a translation file as `namespace:dotted.key` → text. */
function flatten(value: unknown, prefix: string, into: Map<string, string>): Map<string, string> {
  if (typeof value === 'string') {
    into.set(prefix, value);
  } else if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) flatten(child, prefix ? `${prefix}.${key}` : key, into);
  }
  return into;
}

const pluralSuffix = /_(zero|one|two|few|many|other)$/;

/**
 * Plural keys (`x_one`, `x_other`) differ by language: Arabic has six forms,
 * Thai one. Such a key is compared by its base, and each language must have
 * every form its own plural rules ask for.
 */
function withPluralsGrouped(
  keys: Map<string, string>,
  language: string,
): { keys: Map<string, string>; missingForms: string[] } {
  const grouped = new Map<string, string>();
  const forms = new Map<string, Set<string>>();
  for (const [key, text] of keys) {
    const match = pluralSuffix.exec(key);
    if (!match) {
      grouped.set(key, text);
      continue;
    }
    const base = key.slice(0, -match[0].length);
    if (match[1] === 'other' || !grouped.has(base)) grouped.set(base, text);
    forms.set(base, (forms.get(base) ?? new Set()).add(match[1]!));
  }
  const required = new Intl.PluralRules(language).resolvedOptions().pluralCategories;
  const missingForms = [...forms].flatMap(([base, present]) =>
    required.filter((form) => !present.has(form)).map((form) => `${base}_${form}`),
  );
  return { keys: grouped, missingForms };
}

const placeholders = (text: string) => [...text.matchAll(/\{\{\s*([\w.]+)[^}]*\}\}/g)].map((match) => match[1]).sort();
const nestings = (text: string) => [...text.matchAll(/\$t\(([^)]+)\)/g)].map((match) => match[1]).sort();

describe('the locales', () => {
  const resources = loadLocaleResources(defaultLocalesDir);
  const rawKeysOf = (language: string) => {
    const flat = new Map<string, string>();
    for (const [namespace, tree] of Object.entries(resources[language] ?? {})) flatten(tree, `${namespace}:`, flat);
    return new Map([...flat].map(([key, text]) => [key.replace(':.', ':'), text]));
  };
  const keysOf = (language: string) => withPluralsGrouped(rawKeysOf(language), language).keys;
  const english = keysOf('en');

  it('exist for exactly the project languages', () => {
    expect(
      readdirSync(defaultLocalesDir, { withFileTypes: true })
        .filter((e) => e.isDirectory())
        .map((e) => e.name)
        .sort(),
    ).toEqual([...languageCodes].sort());
    expect(english.size).toBeGreaterThan(0);
  });

  it.each(languageCodes.filter((code) => code !== 'en'))(
    '%s has every English key, no other key, and the same placeholders',
    (language) => {
      const translated = keysOf(language);
      const missing = [
        ...[...english.keys()].filter((key) => !translated.has(key)),
        ...withPluralsGrouped(rawKeysOf(language), language).missingForms,
      ];
      const extra = [...translated.keys()].filter((key) => !english.has(key));
      expect({ missing, extra }).toEqual({ missing: [], extra: [] });
      const mismatched = [...english]
        .filter(([key, text]) => {
          const other = translated.get(key) ?? '';
          return (
            JSON.stringify(placeholders(text)) !== JSON.stringify(placeholders(other)) ||
            JSON.stringify(nestings(text)) !== JSON.stringify(nestings(other))
          );
        })
        .map(([key]) => key);
      expect(mismatched).toEqual([]);
    },
  );

  it.each([...languageCodes])('%s has no empty text', (language) => {
    expect([...rawKeysOf(language)].filter(([, text]) => text.trim() === '').map(([key]) => key)).toEqual([]);
  });
});
