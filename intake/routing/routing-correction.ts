import type { Kysely } from 'kysely';
import type { FieldCipher } from '../crypto/field-cipher.js';
import { appendAuditEvent } from '../store/audit-log.js';
import type { Database } from '../store/database.js';
import { outboxRow, routingContext, type RoutingPlan } from './routing-plan.js';
import { storedRoutingDecision } from './stored-routing-decision.js';

export class RoutingCorrectionError extends Error {
  constructor(
    readonly code: 'routing.not_found' | 'routing.no_primary',
    message: string,
  ) {
    super(message);
  }
}

/**
 * Replaces a report's routing with one a person chose. In one transaction:
 * the decision and the agencies are replaced; deliveries not yet made to an
 * agency that is no longer on the case are cancelled; an agency added gets
 * its deliveries; an agency kept keeps what it already received, so nothing
 * is sent twice. An agency taken off the case no longer sees it.
 */
export async function correctRouting(
  db: Kysely<Database>,
  cipher: FieldCipher,
  reportId: string,
  plan: RoutingPlan,
  options: { actor: string; at: Date },
): Promise<{ added: string[]; removed: string[] }> {
  if (!plan.agencies.some((agency) => agency.role === 'primary'))
    throw new RoutingCorrectionError('routing.no_primary', 'a routing names a primary agency');
  const timestamp = options.at.toISOString();
  // Inside a caller's transaction (a use case that also writes its note), it joins that one.
  const work = async (trx: Kysely<Database>) => {
    const report = await trx.selectFrom('reports').select(['urgent']).where('id', '=', reportId).executeTakeFirst();
    if (!report) throw new RoutingCorrectionError('routing.not_found', 'no such report');
    const previous = await trx
      .selectFrom('report_agencies')
      .select(['agency_id', 'created_at'])
      .where('report_id', '=', reportId)
      .execute();
    const before = previous.map((row) => row.agency_id);
    const after = plan.agencies.map((agency) => agency.agencyId);
    const removed = before.filter((agencyId) => !after.includes(agencyId));
    const added = after.filter((agencyId) => !before.includes(agencyId));

    await trx
      .updateTable('report_routing')
      .set({
        decision_enc: cipher.encryptJson(storedRoutingDecision(plan.decision), routingContext(reportId)),
        withheld: plan.withheld ? 1 : 0,
        planned_at: timestamp,
        planned_by: options.actor,
      })
      .where('report_id', '=', reportId)
      .execute();
    await trx.deleteFrom('report_agencies').where('report_id', '=', reportId).execute();
    if (plan.agencies.length > 0) {
      await trx
        .insertInto('report_agencies')
        // An agency kept on the case keeps its place in its inbox: routed when it was first routed.
        .values(
          plan.agencies.map((agency) => ({
            report_id: reportId,
            agency_id: agency.agencyId,
            role: agency.role,
            created_at: previous.find((row) => row.agency_id === agency.agencyId)?.created_at ?? timestamp,
          })),
        )
        .execute();
    }
    // Nothing more goes to an agency that is not on the case now, whatever planned it.
    await trx
      .updateTable('deliveries')
      .set({ status: 'cancelled', lease_until: null, last_error: null })
      .where('report_id', '=', reportId)
      .where('agency_id', 'not in', after)
      .where('status', 'in', ['pending', 'failed'])
      .execute();
    const newDeliveries = plan.withheld ? [] : plan.deliveries.filter((delivery) => added.includes(delivery.agencyId));
    if (newDeliveries.length > 0) {
      await trx
        .insertInto('deliveries')
        .values(newDeliveries.map((delivery) => outboxRow(reportId, delivery, report.urgent === 1, timestamp)))
        .execute();
    }
    await appendAuditEvent(trx, {
      actor: options.actor,
      action: 'routing.corrected',
      reportId,
      at: options.at,
      detail: { agencies: plan.agencies, added, removed, deliveries: newDeliveries.length },
    });
    return { added, removed };
  };
  return db.isTransaction ? work(db) : db.transaction().execute(work);
}
