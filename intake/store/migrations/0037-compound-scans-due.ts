import { sql, type Kysely } from 'kysely';
import { dialectKindOf } from '../dialect/dialect-kind.js';

/**
 * The compound matcher's work list: one row per report stored or changed
 * since the matcher last looked at it, so a round reads what changed instead
 * of joining every report with its scan mark (`compound_report_scans` of
 * 0024, O(all reports) per round and per instance).
 *
 * The triggers below write the row in the transaction that stores the report
 * or sets its `updated_at` (a submission, an amendment, an addition, a staff
 * edit, a withdrawal, a script), whatever code does it, so no writer can be
 * forgotten. `marks` counts the writes since the row was made: the matcher
 * deletes the row only at the count it read, so a report changed while the
 * matcher looked at it (even within the same millisecond, an `updated_at`
 * equal to the one read) stays due. A write waits for nothing but the
 * matcher's delete of that one row, which is a statement of its own.
 *
 * What the old anti-join would have found is copied in first (never scanned,
 * or changed since its scan), so an upgraded deployment loses no pending scan;
 * then `compound_report_scans` goes, having no other reader: what a scan
 * recorded is now the row's absence.
 */

const functionName = 'reports_marks_compound_scan_due';
const triggerName = (operation: 'insert' | 'update') => `reports_marks_compound_scan_due_${operation}`;

/** The trigger's one statement (SQLite and PostgreSQL alike): the report due, one more mark if it already was. */
const markDue = `insert into compound_scans_due (report_id, marks) values (NEW.id, 1)
  on conflict (report_id) do update set marks = compound_scans_due.marks + 1;`;

export async function up(db: Kysely<any>): Promise<void> {
  const kind = dialectKindOf(db);
  await db.schema
    .createTable('compound_scans_due')
    .addColumn('report_id', 'text', (col) => col.primaryKey().references('reports.id').onDelete('cascade'))
    .addColumn('marks', 'integer', (col) => col.notNull())
    .execute();

  // The reports the matcher's page query of 0024 would return: never looked at, or changed since.
  await sql`insert into compound_scans_due (report_id, marks)
    select reports.id, 1 from reports
      left join compound_report_scans scans on scans.report_id = reports.id
      where scans.report_id is null or scans.report_updated_at != reports.updated_at`.execute(db);
  await db.schema.dropTable('compound_report_scans').execute();

  if (kind === 'postgres') {
    await sql`create or replace function ${sql.id(functionName)}() returns trigger language plpgsql as $$
      begin ${sql.raw(markDue)} return null; end $$`.execute(db);
    for (const operation of ['insert', 'update'] as const)
      await sql`create trigger ${sql.id(triggerName(operation))}
        after ${sql.raw(operation === 'update' ? 'update of updated_at' : 'insert')} on reports
        for each row execute function ${sql.id(functionName)}()`.execute(db);
    return;
  }
  for (const operation of ['insert', 'update'] as const)
    await sql`create trigger ${sql.id(triggerName(operation))}
      after ${sql.raw(operation === 'update' ? 'update of updated_at' : 'insert')} on reports
      for each row begin ${sql.raw(markDue)} end`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  const kind = dialectKindOf(db);
  for (const operation of ['insert', 'update'] as const)
    await sql`drop trigger if exists ${sql.id(triggerName(operation))}${sql.raw(
      kind === 'postgres' ? ' on reports' : '',
    )}`.execute(db);
  if (kind === 'postgres') await sql`drop function if exists ${sql.id(functionName)}()`.execute(db);
  await db.schema
    .createTable('compound_report_scans')
    .addColumn('report_id', 'text', (col) => col.primaryKey().references('reports.id').onDelete('cascade'))
    .addColumn('report_updated_at', 'text', (col) => col.notNull())
    .addColumn('scanned_at', 'text', (col) => col.notNull())
    .execute();
  // Every report not due was looked at in its current version (when is not kept: its version's time stands in); the
  // due ones get no mark, so 0024's query finds them.
  await sql`insert into compound_report_scans (report_id, report_updated_at, scanned_at)
    select reports.id, reports.updated_at, reports.updated_at from reports
      where not exists (select 1 from compound_scans_due due where due.report_id = reports.id)`.execute(db);
  await db.schema.dropTable('compound_scans_due').execute();
}
