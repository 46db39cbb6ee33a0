import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { migrateToLatest } from '../../intake/store/migrate.js';
import { openDatabase } from '../../intake/store/open-database.js';

/**
 * Migrating a fresh SQLite file runs every migration: about a tenth of a
 * second of CPU and a few hundred file syncs, and the suite makes a fresh
 * database for most of its files, often one per test. A copy of one migrated
 * file costs neither. The template is made by migrateToLatest as a
 * deployment's first start makes its database, and is named by a print of
 * the migrations and every project file they import, so an edited migration
 * gets a new template instead of a stale one. (PostgreSQL keeps migrating a
 * fresh schema: a `create database … template` took more of the server's CPU
 * than the migrations, 0.5–0.8 s against 0.4 s.)
 */

const storeDir = fileURLToPath(new URL('../../intake/store/', import.meta.url));

/** The migrations' sources and the project files they import, followed from the migrator and the index. */
function migrationsPrint(): string {
  const hash = createHash('sha256');
  const seen = new Set<string>();
  const pending = [join(storeDir, 'migrate.ts'), join(storeDir, 'migrations', 'index.ts')];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    hash.update(file).update('\0').update(readFileSync(file)).update('\0');
    for (const [, specifier] of readFileSync(file, 'utf8').matchAll(/(?:from|import\()\s*'(\.{1,2}\/[^']+)'/g)) {
      const target = resolve(dirname(file), specifier!).replace(/\.js$/, '');
      const source = [`${target}.ts`, `${target}.tsx`].find((candidate) => existsSync(candidate));
      if (source) pending.push(source);
    }
  }
  return hash.digest('hex').slice(0, 16);
}

let template: Promise<string> | undefined;

/**
 * The migrated file, shared by the test files of a run and the runs after it
 * (in the temporary folder, named by the print). It is written under another
 * name and renamed, so a file beside it never copies a half-written one; two
 * files building it at once write the same database, and the last rename wins.
 */
function migratedFile(): Promise<string> {
  return (template ??= (async () => {
    const path = join(tmpdir(), `reportline-template-${migrationsPrint()}.db`);
    if (existsSync(path)) return path;
    const folder = mkdtempSync(join(tmpdir(), 'reportline-template-'));
    const filename = join(folder, 'reportline.db');
    const db = openDatabase({ kind: 'sqlite', filename });
    try {
      await migrateToLatest(db);
    } finally {
      // Closing checkpoints the write-ahead log into the file: the file alone is the whole database.
      await db.destroy();
    }
    if (existsSync(`${filename}-wal`))
      throw new Error(`the template's write-ahead log was not checkpointed: ${filename}`);
    renameSync(filename, path);
    rmSync(folder, { recursive: true, force: true });
    return path;
  })());
}

/** A new, migrated SQLite database at `filename` (a copy of the template, 0600 like the file openDatabase makes). */
export async function copyMigratedSqlite(filename: string): Promise<void> {
  copyFileSync(await migratedFile(), filename);
}
