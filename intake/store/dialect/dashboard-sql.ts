import { sql, type Kysely, type RawBuilder } from 'kysely';
import { dialectKindOf } from './dialect-kind.js';

/**
 * The two pieces of date arithmetic the dashboard needs, which SQLite and
 * PostgreSQL spell differently. Times are ISO-8601 UTC text in both.
 */

/** The Monday (UTC) of the week an ISO time falls in, as `YYYY-MM-DD`. */
export function weekStartOf(db: Kysely<any>, column: string): RawBuilder<string> {
  const ref = sql.ref(column);
  return dialectKindOf(db) === 'postgres'
    ? sql<string>`to_char(date_trunc('week', (${ref})::timestamptz at time zone 'UTC'), 'YYYY-MM-DD')`
    : // 'weekday 0' moves forward to the Sunday ending the week (a Sunday stays), six days back is its Monday.
      sql<string>`date(${ref}, 'weekday 0', '-6 days')`;
}

/**
 * The UTC day (`YYYY-MM-DD`) of an ISO-8601 UTC time: its first ten
 * characters, spelled alike in both databases. Cheaper per row than a date
 * function, and the same text the period's bounds are compared with.
 */
export function utcDayOf(column: string): RawBuilder<string> {
  return sql<string>`substr(${sql.ref(column)}, 1, 10)`;
}

/** Seconds from one ISO time to a later one. */
export function secondsBetween(db: Kysely<any>, from: string, to: string): RawBuilder<number> {
  const start = sql.ref(from);
  const end = sql.ref(to);
  return dialectKindOf(db) === 'postgres'
    ? sql<number>`extract(epoch from ((${end})::timestamptz - (${start})::timestamptz))::double precision`
    : sql<number>`(julianday(${end}) - julianday(${start})) * 86400.0`;
}
