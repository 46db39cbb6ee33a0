import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * docs/DESIGN.md and the README are read by the next engineer as a map of the code: a path
 * it names that no longer exists, or a type or function it names that no
 * longer exists, sends them looking for something that is not there.
 */

const root = join(import.meta.dirname, '..', '..');
const documents = ['docs/DESIGN.md', 'README.md'];
// The tests and benches count too: the documents name their helpers (the browser tests' axe helper, the fakes).
const sourceFolders = ['app', 'intake', 'portal', 'bots', 'test', 'bench'];

/** Every `app/…`, `intake/…`, `portal/…`, `bots/…` path a text names, up to where a placeholder or glob begins. */
export function namedPaths(text: string): string[] {
  const found = new Set<string>();
  for (const match of text.matchAll(/(?<![\w./-])((?:app|intake|portal|bots|locales|docs|test|bench)\/[\w./-]*)/g)) {
    const path = match[1]!.replace(/[./]+$/, '');
    if (path.includes('/')) found.add(path);
  }
  return [...found].sort();
}

/** Names in backticks written as code: `ChatChannel`, `errorCodeOf()`, `logger.failure` (not plain words). */
export function namedIdentifiers(text: string): string[] {
  const found = new Set<string>();
  for (const match of text.matchAll(/`([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)?)(?:\(\))?`/g)) {
    const name = match[1]!;
    const last = name.split('.').at(-1)!;
    // A word with a capital inside (camelCase or PascalCase) or a call is code; `intake` or `en` is not.
    if (/[a-z][A-Z]|^[A-Z][a-z]+[A-Z]/.test(last) || match[0].endsWith('()`')) found.add(last);
  }
  return [...found].sort();
}

function sourceText(): string {
  const parts: string[] = [];
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder)) {
      const path = join(folder, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.(ts|tsx)$/.test(entry)) parts.push(readFileSync(path, 'utf8'));
    }
  };
  for (const folder of sourceFolders) walk(join(root, folder));
  return parts.join('\n');
}

describe.each(documents)('%s', (document) => {
  const text = readFileSync(join(root, document), 'utf8');

  it('names only paths that exist in the repository', () => {
    const paths = namedPaths(text);
    expect(paths.length).toBeGreaterThan(0);
    expect(paths.filter((path) => !existsSync(join(root, path)))).toEqual([]);
  });

  it('names only types and functions that exist in the code', () => {
    const source = sourceText();
    const missing = namedIdentifiers(text).filter(
      (name) => !new RegExp(`\\b${name.replace('$', '\\$')}\\b`).test(source),
    );
    expect(missing).toEqual([]);
  });
});

describe('the checks themselves', () => {
  it('find paths up to a placeholder or a glob, and code names but not words', () => {
    expect(namedPaths('see `intake/routing/README.md`, locales/<lang>/x and bots/telegram, or app/.')).toEqual([
      'bots/telegram',
      'intake/routing/README.md',
    ]);
    expect(
      namedIdentifiers('`ChatChannel`, `errorCodeOf()`, `logger.failure()`, `intake`, `en`, `DATABASE_URL`'),
    ).toEqual(['ChatChannel', 'errorCodeOf', 'failure']);
  });
});
