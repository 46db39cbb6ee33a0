import { chmodSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { Database } from './database.js';
import { Sqlite3Dialect } from './dialect/sqlite3-dialect.js';
import { ensurePrivateDirectory, ensurePrivateFile } from './private-paths.js';

export type DatabaseLocation =
  | { kind: 'sqlite'; filename: string }
  /** `searchPath` confines the store to one PostgreSQL schema (used by tests). */
  | { kind: 'postgres'; url: string; searchPath?: string; maxConnections?: number };

export interface OpenDatabaseOptions {
  /**
   * Told when PostgreSQL ends a connection that sat idle in the pool (a failover, a restart, an administrator
   * or an idle timeout ending it). The pool drops that connection and opens another when one is next needed.
   */
  onIdleConnectionLost?: (error: unknown) => void;
}

export function openDatabase(location: DatabaseLocation, options: OpenDatabaseOptions = {}): Kysely<Database> {
  if (location.kind === 'sqlite') {
    if (location.filename !== ':memory:') preparePrivateDatabaseFile(location.filename);
    return new Kysely<Database>({ dialect: new Sqlite3Dialect({ filename: location.filename }) });
  }
  const pool = new pg.Pool({
    connectionString: location.url,
    max: location.maxConnections ?? 10,
    ...(location.searchPath ? { options: `-c search_path=${location.searchPath}` } : {}),
  });
  // Without a listener, the pool's 'error' for an idle connection that PostgreSQL ended is an unhandled
  // EventEmitter error: it would kill the whole instance, with every turn and delivery it had in hand.
  pool.on('error', (error) => options.onIdleConnectionLost?.(error));
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}

/**
 * The database holds reporters' personal data, so its folder is 0700 and the
 * file exists at 0600 before SQLite opens it, whatever the umask. SQLite's unix
 * VFS creates the -wal and -shm files with the database file's permissions
 * (test/store/private-file-modes.test.ts checks that it does); a pair left
 * behind by a crash of an older version is tightened here as well.
 */
function preparePrivateDatabaseFile(filename: string): void {
  ensurePrivateDirectory(dirname(filename));
  ensurePrivateFile(filename);
  // SQLite sets the mode only on a -wal or -shm it has just created (still empty);
  // one with content, left by a crash, keeps whatever mode it had.
  for (const leftover of [`${filename}-wal`, `${filename}-shm`]) {
    const stats = statSync(leftover, { throwIfNoEntry: false });
    if (stats && (stats.mode & 0o777) !== 0o600) chmodSync(leftover, 0o600);
  }
}

/** True when the database answers a trivial query. */
export async function isDatabaseReachable(db: Kysely<Database>): Promise<boolean> {
  try {
    await sql`select 1`.execute(db);
    return true;
  } catch {
    // The answer is the health check's 503; a store that is really down fails the next request, which is logged.
    return false;
  }
}
