/**
 * Every amendment of a report is a numbered version. The row of version N
 * keeps the report as it was before amendment N, encrypted, so what a
 * reporter said first is never lost when they correct or add to it.
 */
export interface ReportVersionsTable {
  report_id: string;
  /** 1 for the first amendment; the report as submitted is version 0. */
  version: number;
  /** The content and indicators before this amendment, AES-256-GCM encrypted. */
  previous_enc: string;
  /** JSON list of the field paths the amendment changed (`suspects.phones`), never their values. */
  changed_fields: string;
  /** JSON of what the amendment did to routing and indicators: agency ids and counts, nothing personal. */
  outcome: string;
  actor: string;
  channel: string;
  /** A redelivered amendment with the same key changes nothing twice. */
  idempotency_scope: string | null;
  idempotency_key: string | null;
  request_hash: string | null;
  created_at: string;
}

/**
 * The event a delivery carries, for deliveries that are not the case's first
 * routing to the agency (a delivery without a row here is `case.routed` or
 * `case.urgent`, as every delivery was before amendments).
 */
export interface DeliveryEventsTable {
  delivery_id: string;
  event_type: string;
  /** The report version the event announces. */
  report_version: number;
}

export interface ReportVersionTables {
  report_versions: ReportVersionsTable;
  delivery_events: DeliveryEventsTable;
}
