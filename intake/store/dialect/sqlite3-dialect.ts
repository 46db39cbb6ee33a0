import sqlite3 from 'sqlite3';
import {
  CompiledQuery,
  SelectQueryNode,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  type QueryCompiler,
  type QueryResult,
} from 'kysely';

/**
 * A Kysely dialect over the asynchronous `sqlite3` package. Kysely's built-in
 * SQLite dialect expects better-sqlite3's synchronous API; `sqlite3` runs
 * statements on libuv's thread pool and reports through callbacks, so this
 * dialect wraps those callbacks in promises.
 *
 * SQLite has one writer; a single connection guarded by a mutex serialises all
 * statements and transactions of this process, and `BEGIN IMMEDIATE` takes the
 * write lock up front so another process (the CLI) waits instead of failing
 * half-way through a transaction.
 */
export interface Sqlite3DialectConfig {
  /** Path of the database file, or ':memory:'. */
  filename: string;
}

export class Sqlite3Dialect implements Dialect {
  readonly #config: Sqlite3DialectConfig;

  constructor(config: Sqlite3DialectConfig) {
    this.#config = config;
  }

  createAdapter(): DialectAdapter {
    return new SqliteAdapter();
  }

  createDriver(): Driver {
    return new Sqlite3Driver(this.#config);
  }

  createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new SqliteIntrospector(db);
  }

  createQueryCompiler(): QueryCompiler {
    return new SqliteQueryCompiler();
  }
}

function openDatabaseFile(filename: string): Promise<sqlite3.Database> {
  return new Promise((resolve, reject) => {
    const database = new sqlite3.Database(filename, (error) => (error ? reject(error) : resolve(database)));
  });
}

/** Durability settings every connection must run with (see the store README in DESIGN.md). */
const connectionPragmas = [
  'PRAGMA journal_mode = WAL',
  'PRAGMA synchronous = FULL',
  'PRAGMA foreign_keys = ON',
  'PRAGMA busy_timeout = 10000',
  // 64 MiB of page cache: the indicator index of a million reports stays in memory.
  'PRAGMA cache_size = -65536',
];

class Sqlite3Driver implements Driver {
  readonly #config: Sqlite3DialectConfig;
  readonly #mutex = new ConnectionMutex();
  #database: sqlite3.Database | undefined;
  #connection: Sqlite3Connection | undefined;

  constructor(config: Sqlite3DialectConfig) {
    this.#config = config;
  }

  async init(): Promise<void> {
    this.#database = await openDatabaseFile(this.#config.filename);
    this.#connection = new Sqlite3Connection(this.#database);
    for (const pragma of connectionPragmas) {
      await this.#connection.executeQuery(CompiledQuery.raw(pragma));
    }
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    await this.#mutex.lock();
    if (!this.#connection) throw new Error('the SQLite database is closed');
    return this.#connection;
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }

  async releaseConnection(): Promise<void> {
    this.#mutex.unlock();
  }

  async destroy(): Promise<void> {
    const database = this.#database;
    this.#database = undefined;
    this.#connection = undefined;
    if (!database) return;
    await new Promise<void>((resolve, reject) => database.close((error) => (error ? reject(error) : resolve())));
  }
}

/** Statements whose result rows the caller wants back. */
function returnsRows(compiledQuery: CompiledQuery): boolean {
  const node = compiledQuery.query as { kind: string; returning?: unknown };
  return SelectQueryNode.is(compiledQuery.query) || node.kind === 'RawNode' || node.returning !== undefined;
}

class Sqlite3Connection implements DatabaseConnection {
  readonly #database: sqlite3.Database;

  constructor(database: sqlite3.Database) {
    this.#database = database;
  }

  executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    const parameters = compiledQuery.parameters as unknown[];
    if (returnsRows(compiledQuery)) {
      return new Promise((resolve, reject) => {
        this.#database.all(compiledQuery.sql, parameters, (error, rows) =>
          error ? reject(error) : resolve({ rows: rows as R[] }),
        );
      });
    }
    return new Promise((resolve, reject) => {
      this.#database.run(compiledQuery.sql, parameters, function onRun(this: sqlite3.RunResult, error) {
        if (error) return reject(error);
        resolve({ rows: [], numAffectedRows: BigInt(this.changes), insertId: BigInt(this.lastID) });
      });
    });
  }

  async *streamQuery<R>(compiledQuery: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    // sqlite3 cannot hand rows back one at a time through a promise without
    // holding a statement open across awaits; the result is read whole and
    // yielded row by row so callers keep Kysely's streaming interface.
    const result = await this.executeQuery<R>(compiledQuery);
    for (const row of result.rows) yield { rows: [row] };
  }
}

class ConnectionMutex {
  #held: Promise<void> | undefined;
  #release: (() => void) | undefined;

  async lock(): Promise<void> {
    while (this.#held) await this.#held;
    this.#held = new Promise((resolve) => {
      this.#release = resolve;
    });
  }

  unlock(): void {
    const release = this.#release;
    this.#held = undefined;
    this.#release = undefined;
    release?.();
  }
}
