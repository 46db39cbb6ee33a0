import type { ExpressionBuilder } from 'kysely';
import type { Database } from '../store/database.js';
import type { UrgentClockRow } from './urgent-clock-deadlines.js';

/** What the clock worker reads of a clock's case: whether anyone must still take it, and what the group is told. */
export interface ClockCase {
  reference: string;
  urgent: number;
  in_queue: number;
  withdrawn_at: string | null;
  current_country: string | null;
}

/**
 * The case's columns as subqueries of a statement over `urgent_clocks` (the claim's RETURNING, the step's read
 * under lock), so the clock and its case come back in one round trip on both databases: SQLite's RETURNING may not
 * name a joined table, but may hold subqueries.
 */
export function clockCaseSelections(eb: ExpressionBuilder<Database, 'urgent_clocks'>) {
  const column = <C extends keyof ClockCase>(name: C) =>
    eb.selectFrom('reports').select(`reports.${name}`).whereRef('reports.id', '=', 'urgent_clocks.report_id').as(name);
  return [
    column('reference'),
    column('urgent'),
    column('in_queue'),
    column('withdrawn_at'),
    column('current_country'),
  ] as const;
}

/** The subqueries' answer as the case it describes (a clock's report always exists: it cascades). */
export function clockCaseOf(row: { [C in keyof ClockCase]: ClockCase[C] | null }): ClockCase {
  return {
    reference: row.reference ?? '',
    urgent: Number(row.urgent),
    in_queue: Number(row.in_queue),
    withdrawn_at: row.withdrawn_at,
    current_country: row.current_country,
  };
}

export type ClockStopReason = 'withdrawn' | 'no_longer_urgent' | 'closed';

/** The steps of a clock due at a moment, in the order the worker takes them. */
export interface DueSteps {
  /** The staff group has not been told of this round yet. */
  dutyAlert: boolean;
  /** Set when the case waits for nobody (closed, withdrawn, no longer urgent): the clock stops, without alerts. */
  stop?: ClockStopReason;
  /** Nobody at the hotline took the case in its window. */
  supervisorAlert: boolean;
  /** The awaited agency did not accept the case in its window. */
  escalation: boolean;
}

export function dueSteps(clock: UrgentClockRow, report: ClockCase, at: Date): DueSteps {
  const timestamp = at.toISOString();
  const dutyAlert = clock.duty_alerted_at === null;
  if (report.in_queue !== 1 || report.withdrawn_at !== null || report.urgent !== 1)
    return {
      dutyAlert,
      stop: report.withdrawn_at !== null ? 'withdrawn' : report.urgent !== 1 ? 'no_longer_urgent' : 'closed',
      supervisorAlert: false,
      escalation: false,
    };
  return {
    dutyAlert,
    supervisorAlert:
      clock.hotline_acknowledged_at === null &&
      clock.supervisor_alerted_at === null &&
      clock.hotline_ack_due_at <= timestamp,
    escalation:
      clock.agency_id !== null &&
      clock.agency_accepted_at === null &&
      clock.agency_accept_due_at !== null &&
      clock.agency_accept_due_at <= timestamp,
  };
}
