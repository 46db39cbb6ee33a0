import type { Generated } from 'kysely';

/**
 * The acknowledgement clock of an urgent report (0025-urgent-clocks). Times are
 * ISO-8601 UTC text; a null time is a step not (yet) taken.
 */
export interface UrgentClocksTable {
  report_id: string;
  /** When the case became urgent (at submission, or later by an amendment). */
  urgent_since: string;
  /** When the hotline must have taken the case, or a supervisor is alerted. */
  hotline_ack_due_at: string;
  /** When someone at the hotline took the case (assigned to someone or acknowledged). */
  hotline_acknowledged_at: string | null;
  /** The staff account that took it. */
  hotline_acknowledged_by: string | null;
  supervisor_alerted_at: string | null;
  /** The agency whose acceptance is awaited; null when the routing names none. */
  agency_id: string | null;
  agency_accept_due_at: string | null;
  agency_accepted_at: string | null;
  /** The last time the case was offered to the next agency, and to which. */
  escalated_at: string | null;
  escalated_to: string | null;
  escalation_count: Generated<number>;
  /** When the staff group (Telegram or LINE) was told of the new urgent case; null until the worker has. */
  duty_alerted_at: string | null;
  /**
   * Why the current round began (0032): null for the case's first urgency, else the reason its clock was started
   * again (`reopened`, `danger_again`, `let_go`), so the staff group is told it is not a new case.
   */
  round_reason: string | null;
  /** The next deadline the worker must look at; null once nothing is left to wait for. */
  next_check_at: string | null;
  /** While a worker holds the clock; after a crash it is taken again once this passes. */
  lease_until: string | null;
  created_at: string;
  updated_at: string;
}

export interface UrgentTables {
  urgent_clocks: UrgentClocksTable;
}
