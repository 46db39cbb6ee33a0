import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { FieldCipher } from '../intake/crypto/field-cipher.js';
import type { Database } from '../intake/store/database.js';
import { migrateToLatest } from '../intake/store/migrate.js';
import { migrationProvider } from '../intake/store/migrations/index.js';
import { openDatabase, type DatabaseLocation } from '../intake/store/open-database.js';
import { assembleIntake } from './assemble-intake.js';

/** What was copied of one table, and the checksum both databases agreed on. */
export interface TableCopy {
  table: string;
  rows: number;
  checksum: string;
}

/** The copy was not started: nothing was written to the target. */
export class CopyRefusedError extends Error {
  readonly code = 'copy.refused';
}

/** The target did not hold what was read from the source: the copy was rolled back, the target is empty again. */
export class CopyVerificationError extends Error {
  readonly code = 'copy.verification_failed';
}

/**
 * Tables the store does not own: the migrator's own (the target has them from its migrations) and SQLite's; and the
 * dashboard's kept weeks, lists and open urgent counts (migrations 0030, 0035, 0036), derived from the copied rows: the
 * target counts them afresh on its first dashboard page and duty desk (its triggers mark every row the copy writes).
 * Likewise the compound matcher's work list (0037): the target's trigger makes every copied report due, so its
 * matcher looks at each once more, proposing nothing twice (a proposal is kept per compound and case, a rejection
 * stands).
 */
export const derivedTables: ReadonlySet<string> = new Set([
  'dashboard_week_figures',
  'dashboard_stale_weeks',
  'dashboard_week_values',
  'dashboard_period_lists',
  'dashboard_period_values',
  'dashboard_held_cases',
  'dashboard_held_counts',
  'dashboard_desk_marks',
  'dashboard_desk_cases',
  'dashboard_desk_counts',
  'compound_scans_due',
]);
const notCopied = (table: string) =>
  table.startsWith('kysely_') || table.startsWith('sqlite_') || derivedTables.has(table);
/** Rows per INSERT, within PostgreSQL's 65,535 parameters whatever a table's width. */
const batchRows = (columns: number, wanted: number) => Math.max(1, Math.min(wanted, Math.floor(60_000 / columns)));

interface TargetColumn {
  name: string;
  /** Numbers are compared as numbers: PostgreSQL hands a bigint back as a string, SQLite as a number. */
  numeric: boolean;
  /** Set for a bigserial column: its sequence must go on after the highest id copied. */
  serial: boolean;
}

/**
 * Copies a whole SQLite database of Reportline into an empty PostgreSQL
 * database, table by table in batches, in one transaction: ids stay as they
 * are, encrypted columns are copied as the ciphertext they are (the same
 * REPORTLINE_DATA_KEY reads them), and each table's row count and checksum
 * are compared before the transaction commits. A target with any row in it
 * is refused, so nothing is ever merged or doubled.
 */
export async function copyToPostgres(options: {
  from: string;
  to: DatabaseLocation & { kind: 'postgres' };
  batchSize?: number;
  /** Told of each table once it is copied (before the whole copy is verified and committed). */
  onTable?: (copy: TableCopy) => void;
}): Promise<TableCopy[]> {
  if (!statSync(options.from, { throwIfNoEntry: false })?.isFile())
    throw new CopyRefusedError(`there is no SQLite database at ${options.from}`);
  const source = openDatabase({ kind: 'sqlite', filename: options.from });
  const target = openDatabase(options.to);
  try {
    await requireCurrentSource(source);
    await migrateToLatest(target);
    const tables = await tablesToCopy(source, target);
    const filled = [];
    for (const table of tables) if (await hasRows(target, table)) filled.push(table);
    if (filled.length > 0)
      throw new CopyRefusedError(
        `the target database is not empty (${filled.join(', ')} hold rows): copy only into a new, empty database`,
      );
    return await target.transaction().execute(async (trx) => {
      const copies: TableCopy[] = [];
      for (const table of tables) {
        const copy = await copyTable(source, trx, table, options.batchSize ?? 500);
        copies.push(copy);
        options.onTable?.(copy);
      }
      return copies;
    });
  } finally {
    await source.destroy();
    await target.destroy();
  }
}

/** A source older (or newer) than this code has other columns: it must be migrated by its own version first. */
async function requireCurrentSource(source: Kysely<Database>): Promise<void> {
  const known = Object.keys(await migrationProvider.getMigrations()).sort();
  const applied = await sql<{ name: string }>`select name from kysely_migration order by name`
    .execute(source)
    .then((result) => result.rows.map((row) => row.name))
    .catch(() => undefined);
  if (!applied) throw new CopyRefusedError('the source is not a Reportline database (it has no migrations table)');
  if (applied.join('\n') !== known.join('\n'))
    throw new CopyRefusedError(
      'the source database is not at this version of Reportline: run `npm run reportline -- migrate` on it first (with DATABASE_URL unset)',
    );
}

/** Every table of the store, parents before the tables whose foreign keys name them. */
async function tablesToCopy(source: Kysely<Database>, target: Kysely<Database>): Promise<string[]> {
  const sourceTables = (
    await sql<{ name: string }>`select name from sqlite_master where type = 'table'`.execute(source)
  ).rows
    .map((row) => row.name)
    .filter((name) => !notCopied(name));
  const targetTables = (
    await sql<{
      name: string;
    }>`select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(
      target,
    )
  ).rows
    .map((row) => row.name)
    .filter((name) => !notCopied(name));
  const missing = sourceTables.filter((table) => !targetTables.includes(table));
  if (missing.length > 0) throw new CopyRefusedError(`the target has no table ${missing.join(', ')}`);
  const references = (
    await sql<{ child: string; parent: string }>`
      select c.conrelid::regclass::text as child, c.confrelid::regclass::text as parent
      from pg_constraint c join pg_namespace n on n.oid = c.connamespace
      where c.contype = 'f' and n.nspname = current_schema()`.execute(target)
  ).rows;
  const ordered: string[] = [];
  const visit = (table: string, path: string[]) => {
    if (ordered.includes(table) || path.includes(table)) return;
    for (const { parent } of references.filter((reference) => reference.child === table && reference.parent !== table))
      visit(parent, [...path, table]);
    ordered.push(table);
  };
  for (const table of [...sourceTables].sort()) visit(table, []);
  return ordered.filter((table) => sourceTables.includes(table));
}

async function hasRows(db: Kysely<Database>, table: string): Promise<boolean> {
  const { rows } = await sql<{ any: boolean }>`select exists (select 1 from ${sql.table(table)}) as any`.execute(db);
  return Boolean(rows[0]?.any);
}

async function targetColumns(trx: Transaction<Database>, table: string): Promise<TargetColumn[]> {
  const { rows } = await sql<{ name: string; type: string; default: string | null }>`
    select column_name as name, data_type as type, column_default as default
    from information_schema.columns where table_schema = current_schema() and table_name = ${table}`.execute(trx);
  return rows.map((row) => ({
    name: row.name,
    numeric: ['integer', 'bigint', 'smallint', 'double precision', 'real', 'numeric'].includes(row.type),
    serial: row.default?.startsWith('nextval(') ?? false,
  }));
}

async function copyTable(
  source: Kysely<Database>,
  trx: Transaction<Database>,
  table: string,
  wantedBatch: number,
): Promise<TableCopy> {
  const sourceNames = (await sql<{ name: string }>`select name from pragma_table_info(${table})`.execute(source)).rows
    .map((row) => row.name)
    .sort();
  const columns = (await targetColumns(trx, table)).sort((a, b) => (a.name < b.name ? -1 : 1));
  if (sourceNames.join(',') !== columns.map((column) => column.name).join(','))
    throw new CopyRefusedError(`the columns of ${table} differ between the source and the target`);
  const batch = batchRows(columns.length, wantedBatch);
  const names = columns.map((column) => column.name);
  const sourceSum = new RowChecksum(columns);
  let lastRowid = Number.MIN_SAFE_INTEGER;
  for (;;) {
    const { rows } = await sql<Record<string, unknown> & { copy_rowid: number }>`
      select rowid as copy_rowid, ${sql.join(names.map((name) => sql.ref(name)))} from ${sql.table(table)}
      where rowid > ${lastRowid} order by rowid limit ${batch}`.execute(source);
    if (rows.length === 0) break;
    lastRowid = rows[rows.length - 1]!.copy_rowid;
    const values = rows.map((row) => Object.fromEntries(names.map((name) => [name, row[name] ?? null])));
    for (const row of values) sourceSum.add(row);
    const tuples = values.map((row) => sql`(${sql.join(names.map((name) => row[name]))})`);
    await sql`insert into ${sql.table(table)} (${sql.join(names.map((name) => sql.ref(name)))}) values ${sql.join(tuples)}`.execute(
      trx,
    );
  }
  for (const column of columns.filter((each) => each.serial)) {
    // Ids were copied as they are: the sequence goes on after the highest, so the next row gets a new one.
    await sql`select setval(pg_get_serial_sequence(${table}, ${column.name}),
      coalesce((select max(${sql.ref(column.name)}) from ${sql.table(table)}), 1),
      (select max(${sql.ref(column.name)}) from ${sql.table(table)}) is not null)`.execute(trx);
  }
  const targetSum = new RowChecksum(columns);
  for (let offset = 0; ; offset += batch) {
    const { rows } = await sql<Record<string, unknown>>`
      select ${sql.join(names.map((name) => sql.ref(name)))} from ${sql.table(table)}
      order by ctid limit ${batch} offset ${offset}`.execute(trx);
    for (const row of rows) targetSum.add(row);
    if (rows.length < batch) break;
  }
  if (sourceSum.rows !== targetSum.rows || sourceSum.digest() !== targetSum.digest())
    throw new CopyVerificationError(
      `${table}: ${sourceSum.rows} row(s) read, ${targetSum.rows} in the target` +
        (sourceSum.rows === targetSum.rows ? ', with other values' : ''),
    );
  return { table, rows: sourceSum.rows, checksum: sourceSum.digest() };
}

/**
 * A checksum of a table's rows that does not depend on their order (the two
 * databases sort text differently): the sum, modulo 2^256, of each row's
 * SHA-256 over its values in a form both databases give alike.
 */
class RowChecksum {
  rows = 0;
  #sum = 0n;
  readonly #columns: TargetColumn[];

  constructor(columns: TargetColumn[]) {
    this.#columns = columns;
  }

  add(row: Record<string, unknown>): void {
    const hash = createHash('sha256');
    for (const column of this.#columns) {
      const value = row[column.name];
      hash.update(`${column.name}=`);
      if (value === null || value === undefined) hash.update('null');
      else if (Buffer.isBuffer(value)) hash.update(`bytes:${value.toString('hex')}`);
      else if (column.numeric) hash.update(`number:${Number(value)}`);
      else hash.update(`text:${String(value)}`);
      hash.update('\u0000');
    }
    this.#sum = (this.#sum + BigInt(`0x${hash.digest('hex')}`)) % 2n ** 256n;
    this.rows += 1;
  }

  digest(): string {
    return this.#sum.toString(16).padStart(64, '0');
  }
}

/**
 * Reads the newest report back from the copy through the intake, decrypting
 * it with the data key: proof that the key the instances will run with opens
 * what was copied. Undefined when there is no report yet.
 */
export async function readBackNewestReport(
  location: DatabaseLocation,
  cipher: FieldCipher,
): Promise<{ reference: string } | undefined> {
  const db = openDatabase(location);
  try {
    const newest = await db
      .selectFrom('reports')
      .select('id')
      .orderBy('created_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (!newest) return undefined;
    const report = await assembleIntake({ db, cipher }).reports.getReportById(newest.id);
    if (!report) throw new CopyVerificationError('the newest report could not be read back from the copy');
    return { reference: report.report.reference };
  } finally {
    await db.destroy();
  }
}
