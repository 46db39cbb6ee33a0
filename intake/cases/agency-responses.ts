import type { Transaction } from 'kysely';
import { appendAuditEvent } from '../store/audit-log.js';
import type { Database } from '../store/database.js';
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

export class AgencyResponseError extends Error {
  constructor(
    readonly code: 'agency.reason_required' | 'agency.invalid_action' | 'agency.case_number_invalid',
    message: string,
  ) {
    super(message);
  }
}

const reasonContext = (reportId: string, agencyId: string) => `report:${reportId}:agency:${agencyId}:reason`;
const noteContext = (reportId: string, agencyId: string) => `report:${reportId}:agency:${agencyId}:action`;

/**
 * What each agency says about a case routed to it: whether it takes the
 * referral (a refusal gives its reason, for the hotline to route again), its
 * own case number, and what it has done. Every answer is audited.
 */
export class AgencyResponses extends StoreBase {
  async decide(
    reportId: string,
    agencyId: string,
    decision: AgencyDecision,
    reason: string | undefined,
    actor: string,
  ): Promise<void> {
    const why = reason?.trim() || undefined;
    if (decision === 'declined' && !why)
      throw new AgencyResponseError('agency.reason_required', 'a refusal gives its reason');
    const at = this.now();
    await this.db.transaction().execute(async (trx) => {
      await this.#upsert(
        trx,
        reportId,
        agencyId,
        { decision, reason_enc: why ? this.cipher.encrypt(why, reasonContext(reportId, agencyId)) : null },
        actor,
        at,
      );
      await appendAuditEvent(trx, { actor, action: `agency.${decision}`, reportId, at, detail: { agencyId } });
    });
  }

  async setCaseNumber(reportId: string, agencyId: string, caseNumber: string, actor: string): Promise<void> {
    const value = caseNumber.trim();
    if (!value || value.length > 100)
      throw new AgencyResponseError('agency.case_number_invalid', 'a case number has 1 to 100 characters');
    const at = this.now();
    await this.db.transaction().execute(async (trx) => {
      await this.#upsert(trx, reportId, agencyId, { case_number: value }, actor, at);
      await appendAuditEvent(trx, { actor, action: 'agency.case_number_set', reportId, at, detail: { agencyId } });
    });
  }

  async addAction(
    reportId: string,
    agencyId: string,
    action: string,
    note: string | undefined,
    actor: string,
  ): Promise<AgencyActionKind> {
    if (!(agencyActionKinds as readonly string[]).includes(action))
      throw new AgencyResponseError('agency.invalid_action', `unknown action ${action}`);
    const text = note?.trim() || undefined;
    const at = this.now();
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('agency_actions')
        .values({
          report_id: reportId,
          agency_id: agencyId,
          action,
          note_enc: text ? this.cipher.encrypt(text, noteContext(reportId, agencyId)) : null,
          actor,
          created_at: at.toISOString(),
        })
        .execute();
      await trx.updateTable('reports').set({ updated_at: at.toISOString() }).where('id', '=', reportId).execute();
      await appendAuditEvent(trx, {
        actor,
        action: 'agency.action_recorded',
        reportId,
        at,
        detail: { agencyId, action },
      });
    });
    return action as AgencyActionKind;
  }

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
        reason: state?.reason_enc ? this.cipher.decrypt(state.reason_enc, reasonContext(reportId, id)) : null,
        caseNumber: state?.case_number ?? null,
        updatedAt: state?.updated_at ?? actionRows.find((row) => row.agency_id === id)!.created_at,
        actions: actionRows
          .filter((row) => row.agency_id === id)
          .map((row) => ({
            action: row.action as AgencyActionKind,
            note: row.note_enc ? this.cipher.decrypt(row.note_enc, noteContext(reportId, id)) : null,
            actor: row.actor,
            createdAt: row.created_at,
          })),
      };
    });
  }

  async #upsert(
    trx: Transaction<Database>,
    reportId: string,
    agencyId: string,
    change: { decision?: string; reason_enc?: string | null; case_number?: string },
    actor: string,
    at: Date,
  ): Promise<void> {
    const timestamp = at.toISOString();
    const updated = await trx
      .updateTable('agency_case_states')
      .set({ ...change, updated_at: timestamp, updated_by: actor })
      .where('report_id', '=', reportId)
      .where('agency_id', '=', agencyId)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) {
      await trx
        .insertInto('agency_case_states')
        .values({
          report_id: reportId,
          agency_id: agencyId,
          decision: change.decision ?? null,
          reason_enc: change.reason_enc ?? null,
          case_number: change.case_number ?? null,
          updated_at: timestamp,
          updated_by: actor,
        })
        .execute();
    }
    await trx.updateTable('reports').set({ updated_at: timestamp }).where('id', '=', reportId).execute();
  }
}
