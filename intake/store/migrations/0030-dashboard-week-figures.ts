import { sql, type Kysely } from 'kysely';
import { dialectKindOf } from '../dialect/dialect-kind.js';
import { addSerialPrimaryKey } from '../dialect/schema-helpers.js';

/**
 * The dashboard's figures kept per week, and the marks that say what changed
 * since (intake/dashboard/week-figures-cache.ts).
 *
 * `dashboard_week_figures` holds, per viewer's scope, week and part, the
 * figures the dashboard computed for that week. `dashboard_stale_weeks` is
 * written by the triggers below, on every table a figure is read from,
 * whatever code writes it (an amendment, a withdrawal, a routing correction, a
 * script): a mark says WHAT changed — a report's week, a clock's week, this
 * value of this report, this report's link, this report's scope — read from
 * the written row alone. Which weeks' figures that changes (the report's week,
 * every report holding the value, the report's link partners) is worked out
 * by the refresh that takes the mark (`staleWeekParts`), after the write has
 * committed. Worked out here, from the writer's own snapshot, it would miss a
 * row written at the same time by another transaction (an old report given a
 * phone while a new report names it): of two racing writes, the one committed
 * last has its mark worked out seeing both. A mark is a plain insert (no
 * unique key, no look-up of other rows): a trigger never waits for another
 * transaction, never skips its mark because one like it is already there (a
 * refresh may hold that one uncommitted), and costs one row per written row.
 *
 * What the figures read: `counts` (reports of the week by kind, country,
 * channel, the urgent ones, the values each report of the week carries) reads
 * the report's columns, its indicators and routing; `clocks` (the time to take
 * urgent cases whose clock started in the week) urgent_clocks and the report's
 * routing; `links` (the week's reports linked to another) the indicators of the
 * week's reports and of every report sharing one, the links staff made and the
 * routing of both sides. TRUNCATE fires no row trigger on PostgreSQL: nothing
 * truncates these tables, and a script that did must empty
 * `dashboard_week_figures` too.
 *
 * Also the indexes the duty desk's banner (on every hotline page), "people
 * held now" and an agency's scope read through: the report's and the
 * routing's side of their joins read from an index, never the rows.
 */

type Row = 'NEW' | 'OLD';
/** What a mark says changed (`staleWeekParts` in week-figures-cache.ts turns each into weeks and parts). */
type Cause = 'reported-week' | 'clock-week' | 'indicator' | 'link' | 'scope';
/** One mark: its cause and, for the row the trigger fired for, its week, report and value (SQL, or `null`). */
interface Mark {
  cause: Cause;
  week?: (row: Row) => string;
  reportId?: (row: Row) => string;
  valueHash?: (row: Row) => string;
}

function weekOf(kind: 'sqlite' | 'postgres', column: string): string {
  return kind === 'postgres'
    ? `to_char(date_trunc('week', (${column})::timestamptz at time zone 'UTC'), 'YYYY-MM-DD')`
    : `date(${column}, 'weekday 0', '-6 days')`;
}

function marksOf(kind: 'sqlite' | 'postgres') {
  const week = (column: string) => (row: Row) => weekOf(kind, `${row}.${column}`);
  const column = (name: string) => (row: Row) => `${row}.${name}`;
  const scopeChange: Mark[] = [{ cause: 'scope', reportId: column('report_id') }];
  return {
    reports: {
      columns: ['created_at', 'category', 'current_country', 'channel', 'urgent'],
      marks: [{ cause: 'reported-week', week: week('created_at') }] as Mark[],
    },
    report_indicators: {
      columns: ['report_id', 'kind', 'value_hash'],
      marks: [{ cause: 'indicator', reportId: column('report_id'), valueHash: column('value_hash') }] as Mark[],
    },
    report_link_overrides: {
      columns: ['report_a', 'report_b', 'state'],
      marks: [
        { cause: 'link', reportId: column('report_a') },
        { cause: 'link', reportId: column('report_b') },
      ] as Mark[],
    },
    report_agencies: { columns: ['report_id', 'agency_id'], marks: scopeChange },
    report_routing: { columns: ['report_id', 'withheld'], marks: scopeChange },
    urgent_clocks: {
      columns: ['report_id', 'urgent_since', 'hotline_acknowledged_at'],
      marks: [{ cause: 'clock-week', week: week('urgent_since') }] as Mark[],
    },
  };
}

/** The statement a trigger runs for its rows: one plain insert of every mark. */
function markStatement(marks: readonly Mark[], rows: readonly Row[]): string {
  const values = rows.flatMap((row) =>
    marks.map(
      (mark) =>
        `('${mark.cause}', ${mark.week?.(row) ?? 'null'}, ${mark.reportId?.(row) ?? 'null'}, ${
          mark.valueHash?.(row) ?? 'null'
        })`,
    ),
  );
  return `insert into dashboard_stale_weeks (cause, week, report_id, value_hash) values ${values.join(', ')};`;
}

const triggerName = (table: string, operation: string) => `${table}_marks_dashboard_${operation}`;
const functionName = (table: string) => `${table}_marks_dashboard`;

export async function up(db: Kysely<any>): Promise<void> {
  const kind = dialectKindOf(db);
  await db.schema
    .createTable('dashboard_week_figures')
    .addColumn('cache_key', 'text', (col) => col.notNull())
    .addColumn('week', 'text', (col) => col.notNull())
    .addColumn('part', 'text', (col) => col.notNull())
    .addColumn('figures', 'text', (col) => col.notNull())
    .addColumn('computed_at', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('dashboard_week_figures_pk', ['cache_key', 'week', 'part'])
    .execute();
  await db.schema.createIndex('dashboard_week_figures_by_week').on('dashboard_week_figures').column('week').execute();
  await addSerialPrimaryKey(db, db.schema.createTable('dashboard_stale_weeks'), 'id')
    .addColumn('cause', 'text', (col) => col.notNull())
    .addColumn('week', 'text')
    .addColumn('report_id', 'text')
    .addColumn('value_hash', 'text')
    .execute();
  // A report's week (a refresh working out the marks) and whether it is urgent and open ("people held now", joined
  // by id), read from an index, never from the report's row (mostly ciphertext); and an agency's scope
  // (`reportInScope`) from an index of the routing, never its rows (the decision, encrypted).
  await db.schema
    .createIndex('reports_by_id_glance')
    .on('reports')
    .columns(['id', 'created_at', 'urgent', 'in_queue'])
    .execute();
  await db.schema.createIndex('report_routing_scope').on('report_routing').columns(['report_id', 'withheld']).execute();
  await db.schema
    .createIndex('reports_open_urgent')
    .on('reports')
    .columns(['in_queue', 'urgent', 'withdrawn_at', 'id'])
    .execute();

  for (const [table, { columns, marks }] of Object.entries(marksOf(kind))) {
    if (kind === 'postgres') {
      await sql`create or replace function ${sql.id(functionName(table))}() returns trigger language plpgsql as $$
        begin
          if tg_op = 'INSERT' then ${sql.raw(markStatement(marks, ['NEW']))}
          elsif tg_op = 'UPDATE' then ${sql.raw(markStatement(marks, ['OLD', 'NEW']))}
          else ${sql.raw(markStatement(marks, ['OLD']))}
          end if;
          return null;
        end $$`.execute(db);
      await sql`create trigger ${sql.id(triggerName(table, 'change'))}
        after insert or update of ${sql.raw(columns.join(', '))} or delete on ${sql.table(table)}
        for each row execute function ${sql.id(functionName(table))}()`.execute(db);
      continue;
    }
    for (const [operation, rows] of [
      ['insert', ['NEW']],
      ['update', ['OLD', 'NEW']],
      ['delete', ['OLD']],
    ] as const) {
      const statements = markStatement(marks, rows);
      const event = operation === 'update' ? `update of ${columns.join(', ')}` : operation;
      await sql`create trigger ${sql.id(triggerName(table, operation))} after ${sql.raw(event)} on ${sql.table(table)}
        for each row begin ${sql.raw(statements)} end`.execute(db);
    }
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  const kind = dialectKindOf(db);
  for (const table of Object.keys(marksOf(kind))) {
    if (kind === 'postgres') {
      await sql`drop trigger if exists ${sql.id(triggerName(table, 'change'))} on ${sql.table(table)}`.execute(db);
      await sql`drop function if exists ${sql.id(functionName(table))}()`.execute(db);
    } else
      for (const operation of ['insert', 'update', 'delete'])
        await sql`drop trigger if exists ${sql.id(triggerName(table, operation))}`.execute(db);
  }
  await db.schema.dropIndex('reports_open_urgent').execute();
  await db.schema.dropIndex('report_routing_scope').execute();
  await db.schema.dropIndex('reports_by_id_glance').execute();
  await db.schema.dropTable('dashboard_stale_weeks').execute();
  await db.schema.dropTable('dashboard_week_figures').execute();
}
