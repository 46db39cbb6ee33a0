import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import pg from 'pg';
import type { Database } from '../../intake/store/database.js';
import { migrateToLatest } from '../../intake/store/migrate.js';
import { openDatabase, type DatabaseLocation } from '../../intake/store/open-database.js';
import { copyMigratedSqlite } from './migrated-sqlite-template.js';

export interface TestDatabase {
  kind: 'sqlite' | 'postgres';
  db: Kysely<Database>;
  location: DatabaseLocation;
  /** For SQLite: the database file, so a test can read the bytes on disk. */
  filename?: string;
  dispose(): Promise<void>;
}

const postgresUrl = process.env.DATABASE_URL;

/** The databases every store test runs on: SQLite always, PostgreSQL when DATABASE_URL names one. */
export const testDatabaseKinds: Array<'sqlite' | 'postgres'> = postgresUrl ? ['sqlite', 'postgres'] : ['sqlite'];

let warned = false;
export function warnIfPostgresSkipped(): void {
  if (!postgresUrl && !warned) {
    warned = true;
    process.stderr.write('PostgreSQL store tests skipped: set DATABASE_URL=postgres://… to run them too.\n');
  }
}

/**
 * A fresh, migrated database: a new SQLite file in a temporary folder (a copy
 * of a file migrated once, see migrated-sqlite-template.ts, migrated again
 * here, which finds nothing left to apply), or a new schema in the PostgreSQL
 * database (dropped afterwards), so test files running in parallel never see
 * each other's rows.
 */
export async function createTestDatabase(kind: 'sqlite' | 'postgres'): Promise<TestDatabase> {
  if (kind === 'sqlite') {
    const folder = mkdtempSync(join(tmpdir(), 'reportline-test-'));
    const filename = join(folder, 'reportline.db');
    const location: DatabaseLocation = { kind: 'sqlite', filename };
    await copyMigratedSqlite(filename);
    const db = openDatabase(location);
    await migrateToLatest(db);
    return {
      kind,
      db,
      location,
      filename,
      dispose: async () => {
        await db.destroy();
        rmSync(folder, { recursive: true, force: true });
      },
    };
  }
  if (!postgresUrl) throw new Error('DATABASE_URL is not set');
  const schema = `test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: postgresUrl });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const location: DatabaseLocation = { kind: 'postgres', url: postgresUrl, searchPath: schema, maxConnections: 4 };
  const db = openDatabase(location);
  await migrateToLatest(db);
  return {
    kind,
    db,
    location,
    dispose: async () => {
      await db.destroy();
      const cleanup = new pg.Client({ connectionString: postgresUrl });
      await cleanup.connect();
      await cleanup.query(`drop schema ${schema} cascade`);
      await cleanup.end();
    },
  };
}
