import { sql, type Kysely } from 'kysely';
import { dialectKindOf } from '../dialect/dialect-kind.js';
import { addSerialPrimaryKey } from '../dialect/schema-helpers.js';

/**
 * The dashboard's figures kept per week, and the marks that say a week's
 * figures no longer hold (intake/dashboard/week-figures-cache.ts).
 *
 * `dashboard_week_figures` holds, per viewer's scope, week and part, the
 * figures the dashboard computed for that week. `dashboard_stale_weeks` is
 * written by the triggers below, on every table a figure is read from,
 * whatever code writes it (an amendment, a withdrawal, a retention delete, a
 * script): a mark names the week and the part whose figures changed, and a
 * dashboard that finds one throws the week's figures away and counts them
 * again. A mark is a plain insert (no unique key), so a trigger never waits
 * for another transaction: two reports written at once cannot deadlock on it.
 *
 * The parts, and what they read:
 * - `counts`: reports of the week by kind, country, channel, the urgent ones,
 *   and the values each report of the week carries — the report's columns,
 *   its indicators, its routing (an agency's scope);
 * - `clocks`: the time to take urgent cases whose clock started in the week —
 *   urgent_clocks, the report's routing;
 * - `links`: the week's reports linked to another — the indicators of the
 *   week's reports and of every report sharing one, the links staff made, the
 *   routing of both sides.
 * Marks are generous (a routing change marks every week holding a report that
 * shares a value with the report; a value in many reports marks the links of
 * every week, `'*'`): a mark too many costs one week's count, one too few
 * would show a stale figure.
 *
 * Also the indexes the duty desk's banner (on every hotline page), "people
 * held now" and an agency's scope read through: the report's and the
 * routing's side of their joins read from an index, never the rows.
 */

type Part = 'counts' | 'clocks' | 'links';
/** How many reports make a value common (see `manyOf`). */
const manyReports = 32;
type Row = 'NEW' | 'OLD';
/** One mark: the parts it marks and a query of `week` values, for the row the trigger fired for. */
interface Mark {
  parts: readonly Part[];
  weeks: (row: Row) => string;
}

function weekOf(kind: 'sqlite' | 'postgres', column: string): string {
  return kind === 'postgres'
    ? `to_char(date_trunc('week', (${column})::timestamptz at time zone 'UTC'), 'YYYY-MM-DD')`
    : `date(${column}, 'weekday 0', '-6 days')`;
}

function marksOf(kind: 'sqlite' | 'postgres') {
  const week = (column: string) => weekOf(kind, column);
  const literal = (column: string) => (row: Row) => `select ${week(`${row}.${column}`)} as week`;
  const ofReport = (column: string) => (row: Row) =>
    `select ${week('r.created_at')} as week from reports r where r.id = ${row}.${column}`;
  // A value in more reports than this marks the links of every week ('*') rather than look up each report's week:
  // a trigger reads at most this many index entries, however common the value (a compound's phone can be in
  // thousands of reports).
  const manyOf = (hash: string) =>
    `(select count(*) from (select 1 from report_indicators c where c.value_hash = ${hash} limit ${manyReports + 1}) c)
      > ${manyReports}`;
  const sharingHash = (row: Row) =>
    `select '*' as week where ${manyOf(`${row}.value_hash`)}
    union select ${week('r.created_at')} as week from report_indicators o
      inner join reports r on r.id = o.report_id
      where o.value_hash = ${row}.value_hash and not ${manyOf(`${row}.value_hash`)}`;
  const sharingWithReport = (row: Row) =>
    `select '*' as week where exists (
      select 1 from report_indicators mine where mine.report_id = ${row}.report_id and ${manyOf('mine.value_hash')})
    union select ${week('r.created_at')} as week from report_indicators mine
      inner join report_indicators o on o.value_hash = mine.value_hash
      inner join reports r on r.id = o.report_id
      where mine.report_id = ${row}.report_id and not ${manyOf('mine.value_hash')}`;
  const partners = (row: Row) =>
    `select ${week('r.created_at')} as week from report_link_overrides l
      inner join reports r on r.id = case when l.report_a = ${row}.report_id then l.report_b else l.report_a end
      where l.report_a = ${row}.report_id or l.report_b = ${row}.report_id`;
  const clockOf = (row: Row) =>
    `select ${week('c.urgent_since')} as week from urgent_clocks c where c.report_id = ${row}.report_id`;
  /** A change to whose scope a report is in: every figure of the report, and the links of those it links to. */
  const scopeChange: Mark[] = [
    { parts: ['counts', 'links'], weeks: ofReport('report_id') },
    { parts: ['clocks'], weeks: clockOf },
    { parts: ['links'], weeks: sharingWithReport },
    { parts: ['links'], weeks: partners },
  ];
  return {
    reports: {
      columns: ['created_at', 'category', 'current_country', 'channel', 'urgent'],
      marks: [{ parts: ['counts', 'links'], weeks: literal('created_at') }] as Mark[],
    },
    report_indicators: {
      columns: ['report_id', 'kind', 'value_hash'],
      marks: [
        { parts: ['counts', 'links'], weeks: ofReport('report_id') },
        { parts: ['links'], weeks: sharingHash },
      ] as Mark[],
    },
    report_link_overrides: {
      columns: ['report_a', 'report_b', 'state'],
      marks: [
        { parts: ['links'], weeks: ofReport('report_a') },
        { parts: ['links'], weeks: ofReport('report_b') },
      ] as Mark[],
    },
    report_agencies: { columns: ['report_id', 'agency_id'], marks: scopeChange },
    report_routing: { columns: ['report_id', 'withheld'], marks: scopeChange },
    urgent_clocks: {
      columns: ['report_id', 'urgent_since', 'hotline_acknowledged_at'],
      marks: [{ parts: ['clocks'], weeks: literal('urgent_since') }] as Mark[],
    },
  };
}

/** The statement a trigger runs for one mark: the weeks not marked yet for the part, marked. */
function markStatement(mark: Mark, row: Row): string {
  const parts = mark.parts.map((part) => `select '${part}' as part`).join(' union all ');
  return `insert into dashboard_stale_weeks (week, part)
    select distinct marked.week, parts.part from (${mark.weeks(row)}) marked cross join (${parts}) parts
    where marked.week is not null and not exists (
      select 1 from dashboard_stale_weeks s where s.week = marked.week and s.part = parts.part)`;
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
    .addColumn('week', 'text', (col) => col.notNull())
    .addColumn('part', 'text', (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex('dashboard_stale_weeks_by_week')
    .on('dashboard_stale_weeks')
    .columns(['week', 'part'])
    .execute();
  // A report's week (the triggers) and whether it is urgent and open ("people held now", joined by id), read from
  // an index, never from the report's row (mostly ciphertext); and an agency's scope (`reportInScope`) from an
  // index of the routing, never its rows (the decision, encrypted).
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
      const forRow = (row: Row) => marks.map((mark) => `${markStatement(mark, row)};`).join('\n');
      await sql`create or replace function ${sql.id(functionName(table))}() returns trigger language plpgsql as $$
        begin
          if tg_op <> 'DELETE' then ${sql.raw(forRow('NEW'))} end if;
          if tg_op <> 'INSERT' then ${sql.raw(forRow('OLD'))} end if;
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
      const statements = rows.flatMap((row) => marks.map((mark) => `${markStatement(mark, row)};`)).join('\n');
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
