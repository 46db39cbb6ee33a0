import { sql, type CreateTableBuilder, type Kysely } from 'kysely';
import { dialectKindOf } from './dialect-kind.js';

/**
 * The only DDL that differs between SQLite and PostgreSQL lives here, so
 * migrations stay one file for both databases.
 */

/** An auto-incrementing integer primary key: a total order for append-only logs. */
export function addSerialPrimaryKey<T extends string, C extends string>(
  db: Kysely<any>,
  table: CreateTableBuilder<T, C>,
  column: string,
): CreateTableBuilder<T, C> {
  return dialectKindOf(db) === 'postgres'
    ? table.addColumn(column, 'bigserial', (col) => col.primaryKey())
    : table.addColumn(column, 'integer', (col) => col.primaryKey().autoIncrement());
}

/**
 * Makes a table append-only in the database itself: an UPDATE or DELETE is
 * refused whoever issues it, so the audit trail cannot be rewritten by a bug.
 */
export async function makeAppendOnly(db: Kysely<any>, table: string): Promise<void> {
  const name = sql.id(`${table}_append_only`);
  if (dialectKindOf(db) === 'postgres') {
    const fn = sql.id(`${table}_refuse_change`);
    await sql`create or replace function ${fn}() returns trigger language plpgsql as $$
      begin raise exception '${sql.raw(table)} is append-only'; end $$`.execute(db);
    await sql`create trigger ${name} before update or delete on ${sql.table(table)}
      for each row execute function ${fn}()`.execute(db);
    return;
  }
  for (const operation of ['update', 'delete'] as const) {
    const trigger = sql.id(`${table}_append_only_${operation}`);
    await sql`create trigger ${trigger} before ${sql.raw(operation)} on ${sql.table(table)}
      begin select raise(abort, '${sql.raw(table)} is append-only'); end`.execute(db);
  }
}

export async function dropAppendOnly(db: Kysely<any>, table: string): Promise<void> {
  if (dialectKindOf(db) === 'postgres') {
    await sql`drop trigger if exists ${sql.id(`${table}_append_only`)} on ${sql.table(table)}`.execute(db);
    await sql`drop function if exists ${sql.id(`${table}_refuse_change`)}()`.execute(db);
    return;
  }
  for (const operation of ['update', 'delete'] as const) {
    await sql`drop trigger if exists ${sql.id(`${table}_append_only_${operation}`)}`.execute(db);
  }
}
