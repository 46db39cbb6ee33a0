import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadOrCreateDevelopmentKey } from '../../intake/crypto/data-key.js';
import { migrateToLatest } from '../../intake/store/migrate.js';
import { openDatabase } from '../../intake/store/open-database.js';
import { ensurePrivateDirectory, ensurePrivateFile } from '../../intake/store/private-paths.js';

/** The permission bits of a path, e.g. 0o600. */
function modeOf(path: string): number {
  return statSync(path).mode & 0o777;
}

/** The data folder 0700, and the database with its WAL and shared-memory files 0600. */
function expectPrivateDatabase(dataDir: string, filename: string): void {
  expect(modeOf(dataDir).toString(8)).toBe('700');
  for (const file of [filename, `${filename}-wal`, `${filename}-shm`])
    expect(modeOf(file).toString(8), file).toBe('600');
}

// The data folder holds reporters' personal data: its user only, whatever umask
// the process starts with (0o000 is the worst case: nothing is masked at all).
describe.each([
  { umask: 0o000, label: '000' },
  { umask: 0o022, label: '022' },
])('files in the data folder under umask $label', ({ umask }) => {
  let previousUmask: number;
  let scratch: string;

  beforeAll(() => {
    previousUmask = process.umask(umask);
  });
  afterAll(() => {
    process.umask(previousUmask);
  });
  beforeEach(() => {
    scratch = mkdtempSync(join(tmpdir(), 'reportline-modes-'));
  });
  afterEach(() => {
    rmSync(scratch, { recursive: true, force: true });
  });

  it('creates the data folder 0700 and the database, its WAL and its shared memory 0600', async () => {
    const dataDir = join(scratch, 'data');
    const filename = join(dataDir, 'reportline.db');
    const db = openDatabase({ kind: 'sqlite', filename });
    try {
      await migrateToLatest(db);
      await sql`create table mode_probe (value text)`.execute(db);
      await sql`insert into mode_probe (value) values ('written')`.execute(db);
      expect(existsSync(`${filename}-wal`)).toBe(true);
      expect(existsSync(`${filename}-shm`)).toBe(true);
      expectPrivateDatabase(dataDir, filename);
    } finally {
      await db.destroy();
    }
  });

  it('tightens a database and the WAL files a crash of an older version left readable', async () => {
    // A crash mid-run: copies of the database, its WAL and its shared memory taken while it is open.
    const running = join(scratch, 'running');
    const source = join(running, 'reportline.db');
    const writer = openDatabase({ kind: 'sqlite', filename: source });
    const dataDir = join(scratch, 'data');
    const filename = join(dataDir, 'reportline.db');
    try {
      await migrateToLatest(writer);
      await sql`create table mode_probe (value text)`.execute(writer);
      await sql`insert into mode_probe (value) values ('only in the WAL')`.execute(writer);
      mkdirSync(dataDir);
      for (const suffix of ['', '-wal', '-shm']) copyFileSync(`${source}${suffix}`, `${filename}${suffix}`);
    } finally {
      await writer.destroy();
    }
    expect(statSync(`${filename}-wal`).size).toBeGreaterThan(0);
    for (const path of [dataDir, filename, `${filename}-wal`, `${filename}-shm`])
      chmodSync(path, path === dataDir ? 0o755 : 0o644);

    const db = openDatabase({ kind: 'sqlite', filename });
    try {
      const { rows } = await sql<{ value: string }>`select value from mode_probe`.execute(db);
      expect(rows).toEqual([{ value: 'only in the WAL' }]);
      expectPrivateDatabase(dataDir, filename);
    } finally {
      await db.destroy();
    }
  });

  it('creates the development key 0600 in a data folder it creates 0700', () => {
    const dataDir = join(scratch, 'data');
    const keyFile = join(dataDir, 'development-data-key');
    const { key, created } = loadOrCreateDevelopmentKey(keyFile);
    expect(created).toBe(true);
    expect(key).toHaveLength(32);
    expect(modeOf(dataDir).toString(8)).toBe('700');
    expect(modeOf(keyFile).toString(8)).toBe('600');

    chmodSync(keyFile, 0o644);
    const again = loadOrCreateDevelopmentKey(keyFile);
    expect(again.created).toBe(false);
    expect(again.key.equals(key)).toBe(true);
    expect(modeOf(keyFile).toString(8)).toBe('600');
  });

  it('ensurePrivateDirectory makes every folder it creates, and the leaf, 0700 and leaves existing parents alone', () => {
    const parent = join(scratch, 'existing');
    mkdirSync(parent);
    chmodSync(parent, 0o755);
    const nested = join(parent, 'evidence', 'ab', 'cd');
    ensurePrivateDirectory(nested);
    expect(modeOf(parent).toString(8)).toBe('755');
    expect(modeOf(join(parent, 'evidence')).toString(8)).toBe('700');
    expect(modeOf(join(parent, 'evidence', 'ab')).toString(8)).toBe('700');
    expect(modeOf(nested).toString(8)).toBe('700');

    chmodSync(nested, 0o755);
    ensurePrivateDirectory(nested);
    expect(modeOf(nested).toString(8)).toBe('700');

    const file = join(parent, 'a-file');
    writeFileSync(file, 'x');
    expect(() => ensurePrivateDirectory(file)).toThrow(/ENOTDIR/);
    expect(() => ensurePrivateDirectory(join(file, 'below'))).toThrow();
  });

  it('ensurePrivateFile creates a missing file empty at 0600 and tightens an existing one without touching its content', () => {
    const missing = join(scratch, 'new-file');
    ensurePrivateFile(missing);
    expect(readFileSync(missing, 'utf8')).toBe('');
    expect(modeOf(missing).toString(8)).toBe('600');

    const existing = join(scratch, 'old-file');
    writeFileSync(existing, 'kept');
    chmodSync(existing, 0o644);
    ensurePrivateFile(existing);
    expect(readFileSync(existing, 'utf8')).toBe('kept');
    expect(modeOf(existing).toString(8)).toBe('600');
  });
});
