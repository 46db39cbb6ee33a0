import type { Generated } from 'kysely';

/** A note hotline staff keep about a case, for each other; never shown to the reporter or an agency. */
export interface CaseNotesTable {
  id: Generated<number>;
  report_id: string;
  author: string;
  body_enc: string;
  created_at: string;
}

/**
 * Links between reports decided by a person, over what shared indicators
 * say: two reports about the same network with nothing in common that a
 * machine could see are linked; a bank's hotline number that links
 * strangers is unlinked. One row per pair, `report_a` < `report_b`.
 */
export interface ReportLinkOverridesTable {
  report_a: string;
  report_b: string;
  /** linked | unlinked */
  state: string;
  actor: string;
  created_at: string;
}

/** What an agency answered to a case routed to it. */
export interface AgencyCaseStatesTable {
  report_id: string;
  agency_id: string;
  /** accepted | declined | null (not answered yet) */
  decision: string | null;
  /** Why it declined, in the agency's words (encrypted: it may name people). */
  reason_enc: string | null;
  /** The agency's own case number, to quote when calling them. */
  case_number: string | null;
  updated_at: string;
  updated_by: string;
}

/** Something an agency did on a case (from a fixed list), shown to the reporter in their language. */
export interface AgencyActionsTable {
  id: Generated<number>;
  report_id: string;
  agency_id: string;
  action: string;
  note_enc: string | null;
  actor: string;
  created_at: string;
}

export interface CaseWorkTables {
  case_notes: CaseNotesTable;
  report_link_overrides: ReportLinkOverridesTable;
  agency_case_states: AgencyCaseStatesTable;
  agency_actions: AgencyActionsTable;
}
