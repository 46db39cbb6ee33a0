/** A browser visit the quick exit ended, by a keyed hash (0021-ended-visits). */
export interface EndedVisitsTable {
  visit_hash: string;
  /** When the visit's cookie would have expired anyway: after this the row is swept. */
  expires_at: string;
}

export interface EndedVisitTables {
  ended_visits: EndedVisitsTable;
}
