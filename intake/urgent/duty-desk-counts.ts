import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../store/database.js';
import { dialectKindOf } from '../store/dialect/dialect-kind.js';

/** What the duty desk shows: open urgent cases not taken, not taken in time, offered on and not accepted. */
export interface DeskCounts {
  waiting: number;
  overdue: number;
  escalated: number;
}

/**
 * The duty desk's three counts kept (migration 0036), so the banner on every
 * hotline page reads one row instead of every open urgent case.
 *
 * `dashboard_desk_cases` is what each open urgent case adds (1 or 0 to each
 * count), `dashboard_desk_counts` their sums (one row). The triggers of 0036
 * on `reports` (an urgent report's queue, urgency or withdrawal) and
 * `urgent_clocks` mark the report in `dashboard_desk_marks` (a plain insert,
 * never a look-up); a read that finds a mark takes every mark, one reader at
 * a time, and works those reports' share out again from their rows as they
 * are then, moving the sums by the difference. As with the dashboard's marks
 * (`stale-week-parts.ts`): the statement that takes a mark sees its write,
 * so a write is always worked out after it committed; a mark committed later
 * is left for the next read, and working a report out twice changes nothing.
 */

/**
 * What the reports `reportIds` picks (SQL, a condition on `c.report_id`) add to the counts; migration 0036's fill
 * ran its own copy of this SQL.
 */
export function deskCasesOf(reportIds: RawBuilder<unknown>): RawBuilder<{
  report_id: string;
  waiting: number;
  overdue: number;
  escalated: number;
}> {
  return sql`
    select c.report_id,
      case when c.hotline_acknowledged_at is null then 1 else 0 end as waiting,
      case when c.hotline_acknowledged_at is null and c.supervisor_alerted_at is not null then 1 else 0 end as overdue,
      case when c.escalated_at is not null and c.agency_accepted_at is null then 1 else 0 end as escalated
    from urgent_clocks c
    inner join reports r on r.id = c.report_id
    where r.in_queue = 1 and r.urgent = 1 and r.withdrawn_at is null and ${reportIds}`;
}

const readCounts = async (db: Kysely<Database>): Promise<DeskCounts> => {
  const { rows } = await sql<Record<keyof DeskCounts, number | string>>`
    select waiting, overdue, escalated from dashboard_desk_counts where id = 1`.execute(db);
  const row = rows[0];
  return {
    waiting: Number(row?.waiting ?? 0),
    overdue: Number(row?.overdue ?? 0),
    escalated: Number(row?.escalated ?? 0),
  };
};

/** The duty desk's counts, brought up to date first when a write marked a case since the last read. */
export async function deskCounts(db: Kysely<Database>): Promise<DeskCounts> {
  const marked = await sql`select 1 as marked from dashboard_desk_marks limit 1`.execute(db);
  if (marked.rows.length === 0) return readCounts(db);
  const postgres = dialectKindOf(db) === 'postgres';
  return db.transaction().execute(async (trx) => {
    // One at a time per database and schema; SQLite's `begin immediate` already holds its one writer.
    if (postgres)
      await sql`select pg_advisory_xact_lock(hashtext('reportline.dashboard_desk_counts ' || current_database()
        || ' ' || current_schema()))`.execute(trx);
    let reportIds: string[];
    if (postgres) {
      const { rows } = await sql<{ report_id: string }>`
        delete from dashboard_desk_marks returning report_id`.execute(trx);
      reportIds = rows.map((row) => row.report_id);
    } else {
      const { rows } = await sql<{ report_id: string }>`select report_id from dashboard_desk_marks`.execute(trx);
      await sql`delete from dashboard_desk_marks`.execute(trx);
      reportIds = rows.map((row) => row.report_id);
    }
    const unique = [...new Set(reportIds)];
    const moved: DeskCounts = { waiting: 0, overdue: 0, escalated: 0 };
    for (let at = 0; at < unique.length; at += 500) {
      const ids = unique.slice(at, at + 500);
      const { rows: before } = await sql<{ waiting: number; overdue: number; escalated: number }>`
        select waiting, overdue, escalated from dashboard_desk_cases where report_id in (${sql.join(ids)})`.execute(
        trx,
      );
      const { rows: now } = await deskCasesOf(sql`c.report_id in (${sql.join(ids)})`).execute(trx);
      for (const key of ['waiting', 'overdue', 'escalated'] as const)
        moved[key] +=
          now.reduce((sum, row) => sum + Number(row[key]), 0) - before.reduce((sum, row) => sum + Number(row[key]), 0);
      await sql`delete from dashboard_desk_cases where report_id in (${sql.join(ids)})`.execute(trx);
      if (now.length > 0)
        await sql`insert into dashboard_desk_cases (report_id, waiting, overdue, escalated) values ${sql.join(
          now.map((row) => sql`(${row.report_id}, ${row.waiting}, ${row.overdue}, ${row.escalated})`),
        )}`.execute(trx);
    }
    if (moved.waiting !== 0 || moved.overdue !== 0 || moved.escalated !== 0)
      await sql`update dashboard_desk_counts set waiting = waiting + ${moved.waiting},
        overdue = overdue + ${moved.overdue}, escalated = escalated + ${moved.escalated} where id = 1`.execute(trx);
    return readCounts(trx);
  });
}

/**
 * The counts from every open urgent case at once (the banner's query before
 * they were kept): what the kept counts must always equal; the tests compare
 * the two after writes of every kind.
 */
export async function countedDeskCounts(db: Kysely<Database>): Promise<DeskCounts> {
  const { rows } = await sql<Record<keyof DeskCounts, number | string | null>>`
    select sum(waiting) as waiting, sum(overdue) as overdue, sum(escalated) as escalated
    from (${deskCasesOf(sql`1 = 1`)}) desk`.execute(db);
  const row = rows[0];
  return {
    waiting: Number(row?.waiting ?? 0),
    overdue: Number(row?.overdue ?? 0),
    escalated: Number(row?.escalated ?? 0),
  };
}
