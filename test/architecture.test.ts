import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');

/** Every TypeScript source file under a folder of the repository, as paths from the root. */
function sourcesUnder(folder: string): string[] {
  return readdirSync(join(root, folder), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.tsx?$/.test(entry.name))
    .map((entry) => relative(root, join(entry.parentPath, entry.name)));
}

/** What a file imports (static, re-exports, side effects, dynamic), each as written. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  const specifiers = [
    ...text.matchAll(/\b(?:import|export)\b[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/g),
    ...text.matchAll(/\bimport\s*['"]([^'"]+)['"]/g),
    ...text.matchAll(/\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g),
  ];
  return specifiers.map((match) => match[1]!);
}

/** An import as a path from the repository root (a package keeps its name). */
function target(file: string, specifier: string): string {
  return specifier.startsWith('.') ? relative(root, resolve(root, dirname(file), specifier)) : specifier;
}

/** The imports of the files under some folders that break a rule, as `file → import`. */
function violations(folders: string[], forbidden: (imported: string) => boolean): string[] {
  return folders.flatMap((folder) =>
    sourcesUnder(folder).flatMap((file) =>
      importsOf(file)
        .filter((specifier) => forbidden(target(file, specifier)))
        .map((specifier) => `${file} → ${specifier}`),
    ),
  );
}

describe('the architecture', () => {
  it('finds the imports it checks (the check itself works)', () => {
    expect(importsOf('portal/app.ts')).toContain('hono');
    expect(target('portal/app.ts', '../intake/store/database.js')).toBe('intake/store/database.js');
  });

  it('keeps the database out of the portal and the bots: no Kysely, no database handle, no table types', () => {
    const storeInternals = (imported: string) =>
      imported === 'kysely' ||
      imported.startsWith('kysely/') ||
      imported === 'intake/store/database.js' ||
      imported.startsWith('intake/store/tables/');
    expect(violations(['portal', 'bots'], storeInternals)).toEqual([]);
  });

  it('keeps the intake free of the portal, the bots and the composition root', () => {
    const outer = (imported: string) => /^(portal|bots|app)\//.test(imported);
    expect(violations(['intake'], outer)).toEqual([]);
  });
});
