import type { Selectable } from 'kysely';
import type { UrgentClocksTable } from '../store/tables/urgent-tables.js';

export type UrgentClockRow = Selectable<UrgentClocksTable>;

/** What a clock still waits for, each with its deadline. */
export function pendingDeadlines(clock: UrgentClockRow): {
  dutyAlert?: string;
  hotline?: string;
  agency?: string;
} {
  return {
    ...(clock.duty_alerted_at === null ? { dutyAlert: clock.urgent_since } : {}),
    ...(clock.hotline_acknowledged_at === null && clock.supervisor_alerted_at === null
      ? { hotline: clock.hotline_ack_due_at }
      : {}),
    ...(clock.agency_id !== null && clock.agency_accepted_at === null && clock.agency_accept_due_at !== null
      ? { agency: clock.agency_accept_due_at }
      : {}),
  };
}

/** When the worker must look at the clock next: its earliest pending deadline, or null when it waits for nothing. */
export function nextCheckAt(clock: UrgentClockRow): string | null {
  const deadlines = Object.values(pendingDeadlines(clock)).sort();
  return deadlines[0] ?? null;
}
