import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { Database } from './database.js';
import { Sqlite3Dialect } from './dialect/sqlite3-dialect.js';

export type DatabaseLocation =
  | { kind: 'sqlite'; filename: string }
  /** `searchPath` confines the store to one PostgreSQL schema (used by tests). */
  | { kind: 'postgres'; url: string; searchPath?: string; maxConnections?: number };

export function openDatabase(location: DatabaseLocation): Kysely<Database> {
  if (location.kind === 'sqlite') {
    if (location.filename !== ':memory:') mkdirSync(dirname(location.filename), { recursive: true });
    return new Kysely<Database>({ dialect: new Sqlite3Dialect({ filename: location.filename }) });
  }
  const pool = new pg.Pool({
    connectionString: location.url,
    max: location.maxConnections ?? 10,
    ...(location.searchPath ? { options: `-c search_path=${location.searchPath}` } : {}),
  });
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}

/** True when the database answers a trivial query. */
export async function isDatabaseReachable(db: Kysely<Database>): Promise<boolean> {
  try {
    await sql`select 1`.execute(db);
    return true;
  } catch {
    return false;
  }
}
