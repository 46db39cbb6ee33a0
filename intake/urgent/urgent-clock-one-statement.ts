import { sql, type ExpressionBuilder, type Insertable, type Kysely } from 'kysely';
import type { Database } from '../store/database.js';
import type { AuditEventsTable } from '../store/tables/foundation-tables.js';
import type { UrgentClockRow } from './urgent-clock-deadlines.js';
import type { ClockCase } from './urgent-clock-due-steps.js';
import { updateClocks } from './urgent-clock-updates.js';

/** A clock as the worker's claim read it, with its case. */
export interface ClaimedClock {
  clock: UrgentClockRow;
  report: ClockCase;
}

/** A step that writes its clock's row and its audit events and nothing else (no message, e-mail or offer queued). */
export interface PlainStep {
  claimed: ClaimedClock;
  set: Partial<UrgentClockRow>;
  /** In the order the step took them. */
  events: Array<Insertable<AuditEventsTable>>;
}

/** The clock's columns a step reads: all but its key, its lease (checked by itself) and when it was made. */
const unreadColumns = new Set(['report_id', 'lease_until', 'created_at']);

/**
 * The clock is still as claimed: nobody took, restarted or answered it since (each of those writes a column the
 * step read), and its case is as open, urgent and not withdrawn as it was, so the step worked out from the claim is
 * the step a read under lock would have worked out.
 */
function stillAsClaimed(eb: ExpressionBuilder<Database, 'urgent_clocks'>, { clock, report }: ClaimedClock) {
  const columns = (Object.keys(clock) as Array<keyof UrgentClockRow>).filter((column) => !unreadColumns.has(column));
  return eb.and([
    eb('report_id', '=', clock.report_id),
    ...columns.map((column) => eb(column, 'is not distinct from', clock[column])),
    eb.exists(
      eb
        .selectFrom('reports')
        .select('reports.id')
        .whereRef('reports.id', '=', 'urgent_clocks.report_id')
        .where('reports.urgent', '=', report.urgent)
        .where('reports.in_queue', '=', report.in_queue)
        .where('reports.withdrawn_at', report.withdrawn_at === null ? 'is' : 'is not', null),
    ),
  ]);
}

/**
 * PostgreSQL: the plain steps of a claimed batch in ONE statement, instead of a transaction per clock (a begin, a
 * read under lock, the case's read, the audit events, the update, a commit). The update takes only the clocks this
 * claim still holds (its lease) and that are still as claimed; the audit events go in only for the clocks it
 * updated, in the order each step took them, so each clock's step commits whole or not at all, and a clock the
 * statement left (its lease lost, or changed since the claim) has written nothing: the caller takes it again under
 * lock. A statement is atomic by itself, and the update locks each row it changes, so two workers never step one
 * clock twice. Returns the report ids of the clocks it stepped.
 */
export async function writePlainStepsInOneStatement(
  db: Kysely<Database>,
  lease: string,
  steps: readonly PlainStep[],
): Promise<Set<string>> {
  const update = updateClocks(
    db,
    steps.map((step) => ({ reportId: step.claimed.clock.report_id, set: step.set })),
  )
    .where('lease_until', '=', lease)
    .where((eb) => eb.or(steps.map((step) => stillAsClaimed(eb, step.claimed))))
    .returning('report_id');
  const events = steps.flatMap((step) => step.events);
  // The position keeps each clock's events in the order its step took them (the log's sequence follows it).
  const rows = events.map(
    (event, position) =>
      sql`(${position}::integer, ${event.occurred_at}, ${event.actor}, ${event.action}, ${event.report_id ?? null}, ${event.detail})`,
  );
  const audited =
    rows.length === 0
      ? sql``
      : sql`, audited as (
          insert into audit_events (occurred_at, actor, action, report_id, detail)
          select v.occurred_at, v.actor, v.action, v.report_id, v.detail
          from (values ${sql.join(rows)}) as v (position, occurred_at, actor, action, report_id, detail)
          where v.report_id in (select report_id from stepped)
          order by v.position
        )`;
  const result = await sql<{ report_id: string }>`with stepped as (${update})${audited}
    select report_id from stepped`.execute(db);
  return new Set(result.rows.map((row) => row.report_id));
}
