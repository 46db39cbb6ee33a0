import type { CaseActor } from '../cases/case-actor.js';
import { isStaff } from '../cases/case-actor.js';
import type { CaseDependencies } from '../cases/case-transaction.js';
import { acknowledgeUrgentCase, type AcknowledgementOutcome } from './acknowledge-urgent-case.js';
import { deskCounts } from './duty-desk-counts.js';

/** An urgent case's clock as staff read it: times only, never what the case says. */
export interface UrgentClockView {
  reportId: string;
  urgentSince: string;
  hotlineAckDueAt: string;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  supervisorAlertedAt: string | null;
  agencyId: string | null;
  agencyAcceptDueAt: string | null;
  agencyAcceptedAt: string | null;
  escalatedAt: string | null;
  escalatedTo: string | null;
  escalationCount: number;
}

/**
 * What the duty desk shows on every console page: open urgent cases nobody
 * at the hotline has taken yet, those a supervisor was
 * alerted for, and those offered to another agency that has not accepted.
 */
export interface DutyDesk {
  waiting: number;
  overdue: number;
  escalated: number;
}

export interface UrgentCases {
  acknowledge(actor: CaseActor, reference: string): Promise<AcknowledgementOutcome>;
  dutyDesk(actor: CaseActor): Promise<DutyDesk>;
  /** The clocks of these reports (those that have one). */
  clocksOf(reportIds: readonly string[]): Promise<Map<string, UrgentClockView>>;
}

const emptyDesk: DutyDesk = { waiting: 0, overdue: 0, escalated: 0 };

export function createUrgentCases(dependencies: CaseDependencies): UrgentCases {
  const { db } = dependencies;
  return {
    acknowledge: (actor, reference) => acknowledgeUrgentCase(dependencies, actor, reference),

    async dutyDesk(actor) {
      if (!isStaff(actor)) return emptyDesk;
      return deskCounts(db);
    },

    async clocksOf(reportIds) {
      if (reportIds.length === 0) return new Map();
      const rows = await db
        .selectFrom('urgent_clocks')
        .selectAll()
        .where('report_id', 'in', [...new Set(reportIds)])
        .execute();
      return new Map(
        rows.map((row) => [
          row.report_id,
          {
            reportId: row.report_id,
            urgentSince: row.urgent_since,
            hotlineAckDueAt: row.hotline_ack_due_at,
            acknowledgedAt: row.hotline_acknowledged_at,
            acknowledgedBy: row.hotline_acknowledged_by,
            supervisorAlertedAt: row.supervisor_alerted_at,
            agencyId: row.agency_id,
            agencyAcceptDueAt: row.agency_accept_due_at,
            agencyAcceptedAt: row.agency_accepted_at,
            escalatedAt: row.escalated_at,
            escalatedTo: row.escalated_to,
            escalationCount: Number(row.escalation_count),
          },
        ]),
      );
    },
  };
}
