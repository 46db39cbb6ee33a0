import { sql, type Insertable, type Kysely } from 'kysely';
import type { Database } from './database.js';
import type { DialectKind } from './dialect/dialect-kind.js';

/**
 * Rows to insert together, table by table, in the order the keys are written
 * (a parent table before the tables that reference it).
 */
export type TableInserts = { [Table in keyof Database]?: Array<Insertable<Database[Table]>> };

interface Queued {
  inserts: TableInserts;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** SQLite accepts 32,766 bound parameters per statement; stay well below. */
const maxParametersPerStatement = 20_000;
/** PostgreSQL accepts 65,535 bound parameters per statement; a larger write takes a transaction of inserts. */
const maxParametersInOneStatement = 30_000;

/**
 * The columns an insert of these rows names: every column any row names (a row may leave out one another gives,
 * and the statement then has a value or a default for it in every row), so rows × this bounds its parameters.
 */
function columnsOf(rows: ReadonlyArray<Record<string, unknown>>): number {
  return new Set(rows.flatMap((row) => Object.keys(row))).size || 1;
}

/**
 * Group commit for SQLite. SQLite has a single writer and every durable
 * commit costs a write-ahead-log flush. When many reports arrive at once,
 * their rows are written with one multi-row INSERT per table in one
 * transaction: one commit and a handful of statements for the whole group,
 * instead of several statements and a commit for each. Nobody is answered
 * before the transaction holding their rows has committed.
 *
 * If a group fails (one submission collides with a unique key, say), every
 * member is written again on its own, so only the guilty one fails.
 *
 * PostgreSQL has concurrent connections and its own group commit, so there
 * each submission is written on its own, as ONE statement: every table's
 * insert a data-modifying CTE of it. A statement is atomic by itself, and its
 * foreign keys are checked (and the dashboard's row triggers fire) when the
 * whole statement ends, so the rows may reference each other in any order.
 * One round trip instead of a begin, an insert per table and a commit (nine
 * for a typical report, half of every statement a submission made): each
 * round trip costs the instance and the database a wake-up, and with several
 * instances, each serving a share of the load, fewer of them are shared.
 */
export class InsertBatcher {
  readonly #db: Kysely<Database>;
  readonly #dialect: DialectKind;
  readonly #maxGroup: number;
  #queue: Queued[] = [];
  #flushing = false;

  constructor(db: Kysely<Database>, dialect: DialectKind, maxGroup = 128) {
    this.#db = db;
    this.#dialect = dialect;
    this.#maxGroup = maxGroup;
  }

  insert(inserts: TableInserts): Promise<void> {
    // Only SQLite batches: PostgreSQL has concurrent connections and its own group commit.
    if (this.#dialect !== 'sqlite') return this.#writeAlone(inserts);
    return new Promise<void>((resolve, reject) => {
      this.#queue.push({ inserts, resolve, reject });
      if (!this.#flushing) void this.#flush();
    });
  }

  async #flush(): Promise<void> {
    this.#flushing = true;
    try {
      while (this.#queue.length > 0) {
        const group = this.#queue.splice(0, this.#maxGroup);
        try {
          await this.#write(group.map((item) => item.inserts));
          for (const item of group) item.resolve();
        } catch (error) {
          if (group.length === 1) {
            group[0]!.reject(error);
            continue;
          }
          for (const item of group) {
            await this.#writeAlone(item.inserts).then(item.resolve, item.reject);
          }
        }
      }
    } finally {
      this.#flushing = false;
    }
  }

  #writeAlone(inserts: TableInserts): Promise<void> {
    return this.#write([inserts]);
  }

  async #write(members: TableInserts[]): Promise<void> {
    const merged = new Map<keyof Database, Array<Record<string, unknown>>>();
    for (const inserts of members) {
      for (const [table, rows] of Object.entries(inserts) as Array<[keyof Database, Array<Record<string, unknown>>]>) {
        if (!rows || rows.length === 0) continue;
        merged.set(table, [...(merged.get(table) ?? []), ...rows]);
      }
    }
    if (this.#dialect === 'postgres') {
      const parameters = [...merged.values()].reduce((sum, rows) => sum + rows.length * columnsOf(rows), 0);
      if (parameters <= maxParametersInOneStatement) return this.#writeAsOneStatement(merged);
    }
    await this.#db.transaction().execute(async (trx) => {
      for (const [table, rows] of merged) {
        const columns = columnsOf(rows);
        const rowsPerStatement = Math.max(1, Math.floor(maxParametersPerStatement / columns));
        for (let start = 0; start < rows.length; start += rowsPerStatement) {
          await trx
            .insertInto(table)
            .values(rows.slice(start, start + rowsPerStatement) as never)
            .execute();
        }
      }
    });
  }

  /** `with w0 as (insert …), w1 as (insert …), … select 1`: every table's rows in one atomic statement. */
  async #writeAsOneStatement(merged: Map<keyof Database, Array<Record<string, unknown>>>): Promise<void> {
    const tables = [...merged.entries()];
    if (tables.length === 0) return;
    // Kysely's types name each CTE's table statically; the tables here are only known at run time.
    let query = this.#db as unknown as Kysely<Record<string, Record<string, unknown>>>;
    for (const [index, [table, rows]] of tables.entries())
      query = query.with(`w${index}`, (db) => db.insertInto(table).values(rows as never)) as never;
    await query.selectNoFrom(sql<number>`1`.as('written')).execute();
  }
}
