import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultLocalesDir, loadLocaleResources } from '../../intake/i18n/create-i18n.js';
import { languageCodes } from '../../intake/i18n/languages.js';

/**
 * Each language's glossary (`locales/<lang>/GLOSSARY.md`) fixes one word per
 * idea: "held" that does not read as "arrested", one word for the scam
 * compound, for a case, for the police. A reviewer changes a word in the
 * glossary and in the texts together; this test holds them to each other.
 */

interface GlossaryRow {
  concept: string;
  use: string[];
  never: string[];
  onlyIn: string[];
}

const codeSpans = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((match) => match[1]!);

function readGlossary(language: string): GlossaryRow[] {
  const text = readFileSync(join(defaultLocalesDir, language, 'GLOSSARY.md'), 'utf8');
  return text
    .split('\n')
    .filter((line) => line.startsWith('|') && !/^\|\s*(Concept|---)/.test(line))
    .map((line) => {
      const [concept = '', use = '', never = '', onlyIn = ''] = line.split('|').slice(1, -1);
      return { concept: concept.trim(), use: codeSpans(use), never: codeSpans(never), onlyIn: codeSpans(onlyIn) };
    });
}

/** Every text of a language as `namespace:dotted.key` → text. */
function textsOf(language: string): Map<string, string> {
  const texts = new Map<string, string>();
  const walk = (value: unknown, path: string) => {
    if (typeof value === 'string') texts.set(path, value);
    else if (value && typeof value === 'object')
      for (const [key, child] of Object.entries(value))
        walk(child, path.endsWith(':') ? `${path}${key}` : `${path}.${key}`);
  };
  for (const [namespace, tree] of Object.entries(loadLocaleResources(defaultLocalesDir)[language] ?? {}))
    walk(tree, `${namespace}:`);
  return texts;
}

describe.each([...languageCodes])('the glossary of %s', (language) => {
  it('exists and names the ideas a frightened reader meets', () => {
    expect(existsSync(join(defaultLocalesDir, language, 'GLOSSARY.md'))).toBe(true);
    const concepts = readGlossary(language).map((row) => row.concept);
    for (const idea of [
      'report',
      'reference',
      'receipt code',
      'held / confined',
      'scam compound',
      'consulate',
      'agency',
    ])
      expect(concepts, idea).toContain(idea);
    expect(concepts.some((concept) => concept.startsWith('case'))).toBe(true);
    expect(concepts.some((concept) => concept.startsWith('police'))).toBe(true);
  });

  it('is what the texts use, and no forbidden synonym appears in them', () => {
    const texts = textsOf(language);
    const all = [...texts.values()].join('\n').toLowerCase();
    const unused = readGlossary(language).flatMap((row) =>
      row.use.filter((term) => !all.includes(term.toLowerCase())).map((term) => `${row.concept}: ${term}`),
    );
    expect(unused).toEqual([]);
    const forbidden = readGlossary(language).flatMap((row) =>
      [...texts]
        .filter(([key]) => !row.onlyIn.includes(key))
        .flatMap(([key, text]) =>
          row.never.filter((term) => text.toLowerCase().includes(term.toLowerCase())).map((term) => `${key}: ${term}`),
        ),
    );
    expect(forbidden).toEqual([]);
  });
});
