import type { Insertable, Kysely } from 'kysely';
import type { Clock } from '../clock.js';
import { appendAuditEvent, auditEventRow } from '../store/audit-log.js';
import type { Database } from '../store/database.js';
import type { UrgentClocksTable } from '../store/tables/urgent-tables.js';
import type { StaffGroupAlerts } from './staff-group-alerts.js';

/** Who the audit log names for clocks started at start-up. */
export const urgentBackfillActor = 'system:urgent-backfill';

/** Clocks written per statement. */
const batchSize = 200;

/**
 * Gives a clock to every urgent case still waiting without one: open, urgent,
 * not withdrawn, given to nobody, and without a row in `urgent_clocks` (cases
 * stored before the clocks existed, or by a process that started none). The
 * clock starts now, not when the case was stored: the wait before it was
 * never measured, so the dashboard's times start here. It is due now and
 * already past its window: the case shows on the duty desk as not taken in
 * time, and ONE summary alert (the staff group's message, and the audit
 * event `urgent.backfill_alerted`) stands for all of them instead of one per
 * case; the worker never alerts a supervisor for them again. No agency window
 * is started: offering a batch of old cases to another agency is for staff to
 * decide, not an upgrade. Each clock's start is audited on its case.
 *
 * Run at start-up; running it again finds nothing. Several instances starting
 * at once each insert with "do nothing on conflict" and count only the rows
 * they wrote, so the summary is sent once. A case taken before the clocks has
 * none: it gets one if it is let go or reopened (`restartUrgentClock`).
 */
export async function backfillUrgentClocks(parts: {
  db: Kysely<Database>;
  alerts?: StaffGroupAlerts | undefined;
  now: Clock;
}): Promise<{ cases: number; staffGroupMessages: number }> {
  const waiting = await parts.db
    .selectFrom('reports')
    .select('reports.id')
    .where('reports.in_queue', '=', 1)
    .where('reports.urgent', '=', 1)
    .where('reports.withdrawn_at', 'is', null)
    .where('reports.assigned_to', 'is', null)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('urgent_clocks')
            .select('urgent_clocks.report_id')
            .whereRef('urgent_clocks.report_id', '=', 'reports.id'),
        ),
      ),
    )
    .orderBy('reports.id')
    .execute();
  if (waiting.length === 0) return { cases: 0, staffGroupMessages: 0 };
  return parts.db.transaction().execute(async (trx) => {
    const at = parts.now();
    const timestamp = at.toISOString();
    const started: string[] = [];
    for (let index = 0; index < waiting.length; index += batchSize) {
      const rows: Array<Insertable<UrgentClocksTable>> = waiting.slice(index, index + batchSize).map(({ id }) => ({
        report_id: id,
        urgent_since: timestamp,
        hotline_ack_due_at: timestamp,
        supervisor_alerted_at: timestamp,
        duty_alerted_at: timestamp,
        agency_id: null,
        agency_accept_due_at: null,
        escalation_count: 0,
        next_check_at: null,
        created_at: timestamp,
        updated_at: timestamp,
      }));
      const inserted = await trx
        .insertInto('urgent_clocks')
        .values(rows)
        .onConflict((conflict) => conflict.column('report_id').doNothing())
        .returning('report_id')
        .execute();
      started.push(...inserted.map((row) => row.report_id));
    }
    if (started.length === 0) return { cases: 0, staffGroupMessages: 0 };
    for (let index = 0; index < started.length; index += batchSize)
      await trx
        .insertInto('audit_events')
        .values(
          started.slice(index, index + batchSize).map((reportId) =>
            auditEventRow({
              actor: urgentBackfillActor,
              action: 'urgent.clock_started',
              reportId,
              at,
              detail: { reason: 'backfill', hotlineAckDueAt: timestamp, supervisorAlerted: true },
            }),
          ),
        )
        .execute();
    const staffGroupMessages = (await parts.alerts?.tellBackfilled(trx, { cases: started.length, at })) ?? 0;
    await appendAuditEvent(trx, {
      actor: urgentBackfillActor,
      action: 'urgent.backfill_alerted',
      at,
      detail: { cases: started.length, staffGroupMessages },
    });
    return { cases: started.length, staffGroupMessages };
  });
}
