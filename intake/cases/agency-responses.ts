import { StoreBase } from '../store/store-base.js';

/** What an agency can report having done, each told to the reporter in their language. */
export const agencyActionKinds = [
  'contacted_reporter',
  'investigation_opened',
  'account_frozen',
  'platform_takedown',
  'welfare_check',
  'rescue_under_way',
  'passed_to_partner',
] as const;
export type AgencyActionKind = (typeof agencyActionKinds)[number];

export type AgencyDecision = 'accepted' | 'declined';

export interface AgencyCaseResponse {
  agencyId: string;
  decision: AgencyDecision | null;
  reason: string | null;
  caseNumber: string | null;
  updatedAt: string;
  actions: Array<{ action: AgencyActionKind; note: string | null; actor: string; createdAt: string }>;
}

/** What an agency's reason for declining, and the note of an action, are bound to: the case and the agency. */
export const agencyReasonContext = (reportId: string, agencyId: string) =>
  `report:${reportId}:agency:${agencyId}:reason`;
export const agencyCaseNoteContext = (reportId: string, agencyId: string) =>
  `report:${reportId}:agency:${agencyId}:action`;

/**
 * What each agency has said about a case routed to it: whether it takes the
 * referral (a refusal gives its reason, for the hotline to route again), its
 * own case number, and what it has done. The answers are given through
 * agency-answers.ts, each in one audited transaction.
 */
export class AgencyResponses extends StoreBase {
  /** Every agency's answers on a case; with `agencyId`, that agency's only. */
  async list(reportId: string, agencyId?: string): Promise<AgencyCaseResponse[]> {
    let states = this.db.selectFrom('agency_case_states').selectAll().where('report_id', '=', reportId);
    let actions = this.db.selectFrom('agency_actions').selectAll().where('report_id', '=', reportId).orderBy('id');
    if (agencyId) {
      states = states.where('agency_id', '=', agencyId);
      actions = actions.where('agency_id', '=', agencyId);
    }
    const [stateRows, actionRows] = await Promise.all([states.execute(), actions.execute()]);
    const agencies = [
      ...new Set([...stateRows.map((row) => row.agency_id), ...actionRows.map((row) => row.agency_id)]),
    ].sort();
    return agencies.map((id) => {
      const state = stateRows.find((row) => row.agency_id === id);
      return {
        agencyId: id,
        decision: (state?.decision as AgencyDecision | null | undefined) ?? null,
        reason: state?.reason_enc ? this.cipher.decrypt(state.reason_enc, agencyReasonContext(reportId, id)) : null,
        caseNumber: state?.case_number ?? null,
        updatedAt: state?.updated_at ?? actionRows.find((row) => row.agency_id === id)!.created_at,
        actions: actionRows
          .filter((row) => row.agency_id === id)
          .map((row) => ({
            action: row.action as AgencyActionKind,
            note: row.note_enc ? this.cipher.decrypt(row.note_enc, agencyCaseNoteContext(reportId, id)) : null,
            actor: row.actor,
            createdAt: row.created_at,
          })),
      };
    });
  }
}
