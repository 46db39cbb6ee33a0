import type { Kysely } from 'kysely';
import type { FieldCipher } from '../crypto/field-cipher.js';
import { planRouting } from '../routing/case-router.js';
import type { AgencyDirectory } from '../routing/load-agency-directory.js';
import type { RoutingDecision } from '../routing/route-report.js';
import { outboxRow, routingContext } from '../routing/routing-plan.js';
import { readStoredRoutingDecision, storedRoutingDecision } from '../routing/stored-routing-decision.js';
import { appendAuditEvent } from '../store/audit-log.js';
import type { Database } from '../store/database.js';

/** Why an agency joined a case it was offered because the first one did not accept in time (`routing` namespace). */
export const escalationReasonKey = 'reasons.copyUrgentEscalation';

/**
 * The next agency to offer an urgent case to: the first of the deployment's
 * escalation agencies (in the directory) that the case has not waited for yet.
 */
export function nextEscalationAgency(
  candidates: readonly string[],
  directory: AgencyDirectory,
  awaitedSoFar: ReadonlySet<string>,
): string | undefined {
  return candidates.find((agencyId) => directory.agencies.has(agencyId) && !awaitedSoFar.has(agencyId));
}

/**
 * Offers an urgent case to another agency, in the clock worker's transaction:
 * a routing addition with its reason (a copy), kept in the stored decision so
 * staff and the agency read why, with the agency's deliveries (`case.urgent`)
 * unless the reporter shared nothing. An agency already on the case keeps what
 * it has and receives nothing twice. Returns how many deliveries were queued.
 */
export async function offerUrgentCase(
  trx: Kysely<Database>,
  parts: { cipher: FieldCipher; directory: AgencyDirectory },
  offer: { reportId: string; agencyId: string; fromAgencyId: string | null; at: Date },
): Promise<{ added: boolean; deliveries: number }> {
  const { reportId, agencyId, at } = offer;
  const timestamp = at.toISOString();
  const onCase = await trx
    .selectFrom('report_agencies')
    .select('agency_id')
    .where('report_id', '=', reportId)
    .where('agency_id', '=', agencyId)
    .executeTakeFirst();
  if (onCase) return { added: false, deliveries: 0 };
  const stored = await trx
    .selectFrom('report_routing')
    .select(['decision_enc', 'withheld'])
    .where('report_id', '=', reportId)
    .executeTakeFirst();
  const before: RoutingDecision = stored
    ? readStoredRoutingDecision(parts.cipher.decryptJson<unknown>(stored.decision_enc, routingContext(reportId)))
    : { urgent: true, withheld: false, copies: [] };
  const decision: RoutingDecision = {
    ...before,
    copies: [
      ...before.copies,
      {
        agencyId,
        role: 'copy',
        reason: { key: escalationReasonKey, params: offer.fromAgencyId ? { from: offer.fromAgencyId } : {} },
      },
    ],
  };
  const encrypted = parts.cipher.encryptJson(storedRoutingDecision(decision), routingContext(reportId));
  if (stored) {
    await trx
      .updateTable('report_routing')
      .set({ decision_enc: encrypted, planned_at: timestamp })
      .where('report_id', '=', reportId)
      .execute();
  } else {
    await trx
      .insertInto('report_routing')
      .values({ report_id: reportId, decision_enc: encrypted, withheld: 0, planned_at: timestamp, planned_by: 'rules' })
      .execute();
  }
  await trx
    .insertInto('report_agencies')
    .values({ report_id: reportId, agency_id: agencyId, role: 'copy', created_at: timestamp })
    .execute();
  const deliveries = planRouting(decision, parts.directory).deliveries.filter(
    (delivery) => delivery.agencyId === agencyId,
  );
  if (deliveries.length > 0)
    await trx
      .insertInto('deliveries')
      .values(deliveries.map((delivery) => outboxRow(reportId, delivery, true, timestamp)))
      .execute();
  await appendAuditEvent(trx, {
    actor: 'urgent-clock',
    action: 'routing.agency_added',
    reportId,
    at,
    detail: { agencyId, role: 'copy', reason: 'urgent_escalation', deliveries: deliveries.length },
  });
  return { added: true, deliveries: deliveries.length };
}
