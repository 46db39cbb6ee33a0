/** The routing decision of a report, kept whole (encrypted: reasons may name a place). */
export interface ReportRoutingTable {
  report_id: string;
  decision_enc: string;
  withheld: number;
  planned_at: string;
  planned_by: string;
}

/** Which agencies a report is routed to: what an agency may see is exactly these rows. */
export interface ReportAgenciesTable {
  report_id: string;
  agency_id: string;
  role: string;
  created_at: string;
}

/**
 * The delivery outbox. A row is written in the same transaction as the
 * routing that causes it and is worked off by the dispatcher; its id is the
 * event id a receiver uses to recognise a repeated delivery.
 */
export interface DeliveriesTable {
  id: string;
  report_id: string;
  agency_id: string;
  method: string;
  status: string;
  urgent: number;
  attempts: number;
  next_attempt_at: string;
  lease_until: string | null;
  last_error: string | null;
  delivered_at: string | null;
  created_at: string;
}

export interface RoutingTables {
  report_routing: ReportRoutingTable;
  report_agencies: ReportAgenciesTable;
  deliveries: DeliveriesTable;
}
