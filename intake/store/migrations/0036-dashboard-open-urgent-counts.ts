import { sql, type Kysely } from 'kysely';
import { dialectKindOf } from '../dialect/dialect-kind.js';
import { addSerialPrimaryKey } from '../dialect/schema-helpers.js';

/**
 * Counts of open urgent cases kept, so what every page shows of them reads a
 * few rows, not every open urgent case: "people held now" per scope and
 * compound (intake/dashboard/kept-held-now.ts) and the duty desk's three
 * counts (intake/urgent/duty-desk-counts.ts). Each keeps what every report
 * adds and the sums; the triggers below mark the report, with a plain insert
 * (no look-up of another row, never waiting on another transaction), and the
 * reader that takes the mark works the report's share out again.
 *
 * "People held now" reads compound_cases, the report's urgency and queue, and
 * its scope: marks go into 0030's `dashboard_stale_weeks` (cause `held`),
 * taken by the dashboard's refresh with the scope marks 0030 already makes
 * for report_agencies and report_routing. The duty desk reads urgent_clocks
 * and the report's urgency, queue and withdrawal: marks go into
 * `dashboard_desk_marks`, taken by the desk itself. A report's row marks only
 * when it is or was urgent (a report that never was adds nothing to either):
 * a report submitted without urgency writes no mark here.
 */

type Row = 'NEW' | 'OLD';
interface Marked {
  table: string;
  columns: string[];
  /** Only rows this holds for (SQL on OLD/NEW, per operation), or none. */
  when?: { update: string; delete: string; insert?: string };
  operations: ReadonlyArray<'insert' | 'update' | 'delete'>;
  statements: (row: Row) => string;
}

const heldMark = (row: Row, column: string) =>
  `insert into dashboard_stale_weeks (cause, week, report_id, value_hash) values ('held', null, ${row}.${column}, null);`;
const deskMark = (row: Row, column: string) =>
  `insert into dashboard_desk_marks (report_id) values (${row}.${column});`;

const marked: Marked[] = [
  {
    table: 'reports',
    columns: ['urgent', 'in_queue', 'withdrawn_at'],
    when: { update: 'OLD.urgent = 1 or NEW.urgent = 1', delete: 'OLD.urgent = 1' },
    operations: ['update', 'delete'],
    statements: (row) => heldMark(row, 'id') + deskMark(row, 'id'),
  },
  {
    table: 'compound_cases',
    columns: ['compound_id', 'report_id', 'state'],
    operations: ['insert', 'update', 'delete'],
    statements: (row) => heldMark(row, 'report_id'),
  },
  {
    table: 'urgent_clocks',
    columns: ['report_id', 'hotline_acknowledged_at', 'supervisor_alerted_at', 'escalated_at', 'agency_accepted_at'],
    operations: ['insert', 'update', 'delete'],
    statements: (row) => deskMark(row, 'report_id'),
  },
];

const triggerName = (table: string, operation: string) => `${table}_marks_open_urgent_${operation}`;
const functionName = (table: string) => `${table}_marks_open_urgent`;
const rowsOf = { insert: ['NEW'], update: ['OLD', 'NEW'], delete: ['OLD'] } as const;

export async function up(db: Kysely<any>): Promise<void> {
  const kind = dialectKindOf(db);
  await db.schema
    .createTable('dashboard_held_cases')
    .addColumn('report_id', 'text', (col) => col.notNull())
    .addColumn('scope', 'text', (col) => col.notNull())
    .addColumn('compound_id', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('dashboard_held_cases_pk', ['report_id', 'scope', 'compound_id'])
    .execute();
  await db.schema
    .createTable('dashboard_held_counts')
    .addColumn('scope', 'text', (col) => col.notNull())
    .addColumn('compound_id', 'text', (col) => col.notNull())
    .addColumn('held', 'integer', (col) => col.notNull())
    .addPrimaryKeyConstraint('dashboard_held_counts_pk', ['scope', 'compound_id'])
    .execute();
  await addSerialPrimaryKey(db, db.schema.createTable('dashboard_desk_marks'), 'id')
    .addColumn('report_id', 'text', (col) => col.notNull())
    .execute();
  await db.schema
    .createTable('dashboard_desk_cases')
    .addColumn('report_id', 'text', (col) => col.primaryKey())
    .addColumn('waiting', 'integer', (col) => col.notNull())
    .addColumn('overdue', 'integer', (col) => col.notNull())
    .addColumn('escalated', 'integer', (col) => col.notNull())
    .execute();
  await db.schema
    .createTable('dashboard_desk_counts')
    .addColumn('id', 'integer', (col) => col.primaryKey())
    .addColumn('waiting', 'integer', (col) => col.notNull())
    .addColumn('overdue', 'integer', (col) => col.notNull())
    .addColumn('escalated', 'integer', (col) => col.notNull())
    .execute();

  // What is there already, counted once (the migration runs before anything writes). The SQL is this migration's
  // own, as it shipped (`heldCasesOf` and `deskCasesOf` of that day): a later change to the live modules must not
  // change what this migration did.
  await sql`insert into dashboard_held_cases (scope, compound_id, report_id)
    select 'hotline', cc.compound_id, cc.report_id from compound_cases cc
      inner join reports r on r.id = cc.report_id
      where cc.state = 'confirmed' and r.urgent = 1 and r.in_queue = 1
    union all
    select 'agency:' || ra.agency_id, cc.compound_id, cc.report_id from compound_cases cc
      inner join reports r on r.id = cc.report_id
      inner join report_agencies ra on ra.report_id = cc.report_id
      inner join report_routing rr on rr.report_id = cc.report_id
      where cc.state = 'confirmed' and r.urgent = 1 and r.in_queue = 1 and rr.withheld = 0`.execute(db);
  await sql`insert into dashboard_held_counts (scope, compound_id, held)
    select scope, compound_id, count(*) from dashboard_held_cases group by scope, compound_id`.execute(db);
  await sql`insert into dashboard_desk_cases (report_id, waiting, overdue, escalated)
    select c.report_id,
      case when c.hotline_acknowledged_at is null then 1 else 0 end,
      case when c.hotline_acknowledged_at is null and c.supervisor_alerted_at is not null then 1 else 0 end,
      case when c.escalated_at is not null and c.agency_accepted_at is null then 1 else 0 end
    from urgent_clocks c
    inner join reports r on r.id = c.report_id
    where r.in_queue = 1 and r.urgent = 1 and r.withdrawn_at is null`.execute(db);
  await sql`insert into dashboard_desk_counts (id, waiting, overdue, escalated)
    select 1, coalesce(sum(waiting), 0), coalesce(sum(overdue), 0), coalesce(sum(escalated), 0)
    from dashboard_desk_cases`.execute(db);

  for (const { table, columns, when, operations, statements } of marked) {
    if (kind === 'postgres') {
      const branch = (operation: keyof typeof rowsOf) =>
        operations.includes(operation) ? rowsOf[operation].map(statements).join(' ') : 'null;';
      await sql`create or replace function ${sql.id(functionName(table))}() returns trigger language plpgsql as $$
        begin
          if tg_op = 'INSERT' then ${sql.raw(branch('insert'))}
          elsif tg_op = 'UPDATE' then ${sql.raw(branch('update'))}
          else ${sql.raw(branch('delete'))}
          end if;
          return null;
        end $$`.execute(db);
    }
    for (const operation of operations) {
      const event = operation === 'update' ? `update of ${columns.join(', ')}` : operation;
      const condition = operation === 'insert' ? when?.insert : when?.[operation];
      const whenClause = condition ? `when (${condition})` : '';
      if (kind === 'postgres')
        await sql`create trigger ${sql.id(triggerName(table, operation))} after ${sql.raw(event)} on ${sql.table(table)}
          for each row ${sql.raw(whenClause)} execute function ${sql.id(functionName(table))}()`.execute(db);
      else
        await sql`create trigger ${sql.id(triggerName(table, operation))} after ${sql.raw(event)} on ${sql.table(table)}
          for each row ${sql.raw(whenClause)} begin ${sql.raw(rowsOf[operation].map(statements).join(' '))} end`.execute(
          db,
        );
    }
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  const kind = dialectKindOf(db);
  for (const { table, operations } of marked) {
    for (const operation of operations)
      await sql`drop trigger if exists ${sql.id(triggerName(table, operation))}${sql.raw(
        kind === 'postgres' ? ` on ${table}` : '',
      )}`.execute(db);
    if (kind === 'postgres') await sql`drop function if exists ${sql.id(functionName(table))}()`.execute(db);
  }
  for (const table of [
    'dashboard_desk_counts',
    'dashboard_desk_cases',
    'dashboard_desk_marks',
    'dashboard_held_counts',
    'dashboard_held_cases',
  ])
    await db.schema.dropTable(table).execute();
}
