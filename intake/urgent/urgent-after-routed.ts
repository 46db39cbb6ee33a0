import { sql, type Kysely } from 'kysely';
import { caseEventTypes } from '../delivery/case-event-types.js';
import { outboxRow, type DeliveryMethod } from '../routing/routing-plan.js';
import { appendAuditEvent } from '../store/audit-log.js';
import type { Database } from '../store/database.js';
import { dialectKindOf } from '../store/dialect/dialect-kind.js';

/**
 * A routing delivery that went out as `case.routed` while an amendment made
 * the case urgent: the amendment saw it still on its way (so it queued no
 * `case.urgent`, expecting the delivery to carry it), but the document had
 * been built before the amendment committed. Called in the transaction that
 * marks such a delivery delivered, it queues the `case.urgent` the agency is
 * owed, once: only when the case has an urgent clock, the agency is still on
 * the case, and no `case.urgent` by this means is queued or sent yet.
 * On PostgreSQL it first holds the report row, as amendments do, so the two
 * take turns and the one that comes second sees the other's writes.
 */
export async function followRoutedDeliveryWithUrgent(
  trx: Kysely<Database>,
  delivery: { reportId: string; agencyId: string; method: DeliveryMethod },
  at: Date,
): Promise<number> {
  const report = await trx
    .selectFrom('reports')
    .select('id')
    .where('id', '=', delivery.reportId)
    .$if(dialectKindOf(trx) === 'postgres', (query) => query.forUpdate())
    .executeTakeFirst();
  if (!report) return 0;
  const clock = await trx
    .selectFrom('urgent_clocks')
    .select('report_id')
    .where('report_id', '=', delivery.reportId)
    .executeTakeFirst();
  if (!clock) return 0;
  const onCase = await trx
    .selectFrom('report_agencies')
    .select('agency_id')
    .where('report_id', '=', delivery.reportId)
    .where('agency_id', '=', delivery.agencyId)
    .executeTakeFirst();
  if (!onCase) return 0;
  const alreadyUrgent = await trx
    .selectFrom('deliveries')
    .leftJoin('delivery_events', 'delivery_events.delivery_id', 'deliveries.id')
    .select('deliveries.id')
    .where('deliveries.report_id', '=', delivery.reportId)
    .where('deliveries.agency_id', '=', delivery.agencyId)
    .where('deliveries.method', '=', delivery.method)
    .where((eb) =>
      eb.or([
        eb('delivery_events.event_type', '=', caseEventTypes.urgent),
        // A routing delivery planned urgent carries `case.urgent` itself.
        eb.and([eb('delivery_events.delivery_id', 'is', null), eb('deliveries.urgent', '=', 1)]),
      ]),
    )
    .executeTakeFirst();
  if (alreadyUrgent) return 0;
  const version = await trx
    .selectFrom('report_versions')
    .select(sql<number | string | null>`max(version)`.as('version'))
    .where('report_id', '=', delivery.reportId)
    .executeTakeFirst();
  const row = outboxRow(
    delivery.reportId,
    { agencyId: delivery.agencyId, method: delivery.method },
    true,
    at.toISOString(),
  );
  await trx.insertInto('deliveries').values(row).execute();
  await trx
    .insertInto('delivery_events')
    .values({ delivery_id: row.id, event_type: caseEventTypes.urgent, report_version: Number(version?.version ?? 0) })
    .execute();
  await appendAuditEvent(trx, {
    actor: 'dispatcher',
    action: 'urgent.agencies_alerted',
    reportId: delivery.reportId,
    at,
    detail: { agencies: [delivery.agencyId], deliveries: 1 },
  });
  return 1;
}
