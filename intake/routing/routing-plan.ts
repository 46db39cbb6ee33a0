import { randomUUID } from 'node:crypto';
import type { FieldCipher } from '../crypto/field-cipher.js';
import type { ReportContent } from '../report/report-schema.js';
import type { TableInserts } from '../store/insert-batcher.js';
import type { RoutingDecision } from './route-report.js';
import { storedRoutingDecision } from './stored-routing-decision.js';

export const deliveryMethods = ['webhook', 'email'] as const;
export type DeliveryMethod = (typeof deliveryMethods)[number];

export interface RoutingPlan {
  /** The routing engine's decision (agencies, roles, reasons), kept whole and encrypted. */
  decision: RoutingDecision;
  /** No consent to share: routed so staff can see where it would go, but delivered to nobody. */
  withheld: boolean;
  agencies: Array<{ agencyId: string; role: 'primary' | 'copy' }>;
  /** What to send to whom; empty when withheld. */
  deliveries: Array<{ agencyId: string; method: DeliveryMethod }>;
}

/** Decides where a report goes; built in the composition root from the directory and rules. */
export type CaseRouter = (content: ReportContent) => RoutingPlan;

export const routingContext = (reportId: string) => `report:${reportId}:routing`;

/**
 * The rows a routing plan is stored as. They are written in the same
 * transaction as the report (or the correction) that causes them, so a
 * delivery is never planned for a report that does not exist, nor lost for
 * one that does.
 */
export function routingRows(
  reportId: string,
  plan: RoutingPlan,
  options: { urgent: boolean; at: Date; plannedBy: string; cipher: FieldCipher },
): TableInserts {
  const timestamp = options.at.toISOString();
  return {
    report_routing: [
      {
        report_id: reportId,
        decision_enc: options.cipher.encryptJson(storedRoutingDecision(plan.decision), routingContext(reportId)),
        withheld: plan.withheld ? 1 : 0,
        planned_at: timestamp,
        planned_by: options.plannedBy,
      },
    ],
    report_agencies: plan.agencies.map((agency) => ({
      report_id: reportId,
      agency_id: agency.agencyId,
      role: agency.role,
      created_at: timestamp,
    })),
    deliveries: plan.withheld
      ? []
      : plan.deliveries.map((delivery) => outboxRow(reportId, delivery, options.urgent, timestamp)),
  };
}

/** A delivery waiting in the outbox, due at once; its id is the event id its receiver sees on every try. */
export function outboxRow(
  reportId: string,
  delivery: { agencyId: string; method: DeliveryMethod },
  urgent: boolean,
  timestamp: string,
) {
  return {
    id: randomUUID(),
    report_id: reportId,
    agency_id: delivery.agencyId,
    method: delivery.method,
    status: 'pending',
    urgent: urgent ? 1 : 0,
    attempts: 0,
    next_attempt_at: timestamp,
    lease_until: null,
    last_error: null,
    delivered_at: null,
    created_at: timestamp,
  };
}
