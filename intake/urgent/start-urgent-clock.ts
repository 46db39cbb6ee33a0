import type { Insertable, Kysely } from 'kysely';
import { caseEventTypes } from '../delivery/case-event-types.js';
import type { RoutingPlan } from '../routing/routing-plan.js';
import { outboxRow, type DeliveryMethod } from '../routing/routing-plan.js';
import { appendAuditEvent, auditEventRow } from '../store/audit-log.js';
import type { Database } from '../store/database.js';
import type { AuditEventsTable } from '../store/tables/foundation-tables.js';
import type { UrgentClocksTable } from '../store/tables/urgent-tables.js';
import type { UrgentClockPolicy } from './urgent-clock-policy.js';

/** The agency whose acceptance an urgent case waits for: its primary, unless nothing is shared. */
function awaitedAgency(agencies: ReadonlyArray<{ agencyId: string; role: string }>, withheld: boolean) {
  if (withheld) return null;
  return agencies.find((agency) => agency.role === 'primary')?.agencyId ?? null;
}

/**
 * A new clock, due at once: the worker's first look tells the staff group
 * (when one is configured) and then waits for the first deadline.
 */
export function clockRow(
  policy: UrgentClockPolicy,
  reportId: string,
  agencyId: string | null,
  at: Date,
): Insertable<UrgentClocksTable> {
  const timestamp = at.toISOString();
  return {
    report_id: reportId,
    urgent_since: timestamp,
    hotline_ack_due_at: new Date(at.getTime() + policy.hotlineAckMs).toISOString(),
    agency_id: agencyId,
    agency_accept_due_at: agencyId ? new Date(at.getTime() + policy.agencyAcceptMs(agencyId)).toISOString() : null,
    escalation_count: 0,
    next_check_at: timestamp,
    created_at: timestamp,
    updated_at: timestamp,
  };
}

export function startedEvent(
  row: Insertable<UrgentClocksTable>,
  actor: string,
  at: Date,
  why?: Record<string, unknown>,
): Insertable<AuditEventsTable> {
  return auditEventRow({
    actor,
    action: 'urgent.clock_started',
    reportId: row.report_id,
    at,
    detail: {
      ...why,
      agencyId: row.agency_id ?? null,
      hotlineAckDueAt: row.hotline_ack_due_at,
      agencyAcceptDueAt: row.agency_accept_due_at ?? null,
    },
  });
}

/** The agencies on a stored case, and the one its clock waits for (see `awaitedAgency`). */
export async function awaitedAgencyOf(
  trx: Kysely<Database>,
  reportId: string,
): Promise<{ agencies: Array<{ agencyId: string; role: string }>; awaited: string | null }> {
  const [agencies, routing] = await Promise.all([
    trx
      .selectFrom('report_agencies')
      .select(['agency_id as agencyId', 'role'])
      .where('report_id', '=', reportId)
      .execute(),
    trx.selectFrom('report_routing').select('withheld').where('report_id', '=', reportId).executeTakeFirst(),
  ]);
  return { agencies, awaited: awaitedAgency(agencies, routing?.withheld === 1) };
}

/**
 * The rows that start the clock of a report urgent when it is submitted, for
 * the submission's own transaction (the report store's batched insert). Its
 * routing deliveries carry `case.urgent` already (see agency-delivery-sender).
 */
export function urgentClockRowsAtSubmission(
  policy: UrgentClockPolicy,
  reportId: string,
  plan: RoutingPlan | undefined,
  options: { actor: string; at: Date },
): { urgent_clocks: Array<Insertable<UrgentClocksTable>>; audit_events: Array<Insertable<AuditEventsTable>> } {
  const row = clockRow(policy, reportId, plan ? awaitedAgency(plan.agencies, plan.withheld) : null, options.at);
  return { urgent_clocks: [row], audit_events: [startedEvent(row, options.actor, options.at)] };
}

/**
 * Starts the clock of a report that became urgent by an amendment, in the
 * amendment's transaction, after its re-routing. Once per report: a case that
 * was urgent before keeps its first clock (and `urgent_since`). Every agency
 * that already received the case's routing as `case.routed` gets `case.urgent`
 * now, once, by each means it received it; a routing delivery not yet made
 * carries `case.urgent` itself when it goes out. Returns how many deliveries
 * were queued.
 */
export async function startUrgentClockByAmendment(
  trx: Kysely<Database>,
  policy: UrgentClockPolicy,
  reportId: string,
  options: { actor: string; at: Date; version: number },
): Promise<number> {
  const existing = await trx
    .selectFrom('urgent_clocks')
    .select('report_id')
    .where('report_id', '=', reportId)
    .executeTakeFirst();
  if (existing) return 0;
  const { agencies, awaited } = await awaitedAgencyOf(trx, reportId);
  const row = clockRow(policy, reportId, awaited, options.at);
  await trx.insertInto('urgent_clocks').values(row).execute();
  await trx
    .insertInto('audit_events')
    .values(startedEvent(row, options.actor, options.at))
    .execute();

  // A routing delivery is one without a recorded event; planned and delivered while the case was not urgent, it went
  // out as `case.routed` (one planned urgent, from before the clocks existed, went out as `case.urgent`).
  const routed = await trx
    .selectFrom('deliveries')
    .leftJoin('delivery_events', 'delivery_events.delivery_id', 'deliveries.id')
    .select(['deliveries.agency_id', 'deliveries.method'])
    .distinct()
    .where('deliveries.report_id', '=', reportId)
    .where('deliveries.status', '=', 'delivered')
    .where('deliveries.urgent', '=', 0)
    .where('delivery_events.delivery_id', 'is', null)
    .execute();
  const onCase = new Set(agencies.map((agency) => agency.agencyId));
  const due = routed.filter((delivery) => onCase.has(delivery.agency_id));
  if (due.length === 0) return 0;
  const rows = due.map((delivery) =>
    outboxRow(
      reportId,
      { agencyId: delivery.agency_id, method: delivery.method as DeliveryMethod },
      true,
      options.at.toISOString(),
    ),
  );
  await trx.insertInto('deliveries').values(rows).execute();
  await trx
    .insertInto('delivery_events')
    .values(
      rows.map((delivery) => ({
        delivery_id: delivery.id,
        event_type: caseEventTypes.urgent,
        report_version: options.version,
      })),
    )
    .execute();
  await appendAuditEvent(trx, {
    actor: options.actor,
    action: 'urgent.agencies_alerted',
    reportId,
    at: options.at,
    detail: { agencies: [...new Set(due.map((delivery) => delivery.agency_id))], deliveries: rows.length },
  });
  return rows.length;
}
