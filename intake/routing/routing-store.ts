import type { Kysely } from 'kysely';
import type { FieldCipher } from '../crypto/field-cipher.js';
import type { Database } from '../store/database.js';
import { casesRoutedTo } from '../delivery/agency-cases.js';
import type { RoutingDecision } from './route-report.js';
import { routingContext } from './routing-plan.js';
import { readStoredRoutingDecision } from './stored-routing-decision.js';

export interface StoredRouting {
  decision: RoutingDecision;
  withheld: boolean;
  agencies: Array<{ agencyId: string; role: string }>;
  plannedAt: string;
  plannedBy: string;
}

export interface DeliveryState {
  id: string;
  agencyId: string;
  method: string;
  status: string;
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  deliveredAt: string | null;
}

/** Reads what routing decided for a report and how its deliveries are doing. */
export class RoutingStore {
  readonly #db: Kysely<Database>;
  readonly #cipher: FieldCipher;

  constructor(dependencies: { db: Kysely<Database>; cipher: FieldCipher }) {
    this.#db = dependencies.db;
    this.#cipher = dependencies.cipher;
  }

  async getRouting(reportId: string): Promise<StoredRouting | undefined> {
    const row = await this.#db
      .selectFrom('report_routing')
      .selectAll()
      .where('report_id', '=', reportId)
      .executeTakeFirst();
    if (!row) return undefined;
    const agencies = await this.#db
      .selectFrom('report_agencies')
      .select(['agency_id', 'role'])
      .where('report_id', '=', reportId)
      .orderBy('role', 'desc') // 'primary' before 'copy'
      .orderBy('agency_id')
      .execute();
    return {
      decision: readStoredRoutingDecision(
        this.#cipher.decryptJson<unknown>(row.decision_enc, routingContext(reportId)),
      ),
      withheld: row.withheld === 1,
      agencies: agencies.map((agency) => ({ agencyId: agency.agency_id, role: agency.role })),
      plannedAt: row.planned_at,
      plannedBy: row.planned_by,
    };
  }

  async listDeliveries(reportId: string): Promise<DeliveryState[]> {
    const rows = await this.#db
      .selectFrom('deliveries')
      .selectAll()
      .where('report_id', '=', reportId)
      .orderBy('created_at')
      .orderBy('agency_id')
      .orderBy('method')
      .execute();
    return rows.map((row) => ({
      id: row.id,
      agencyId: row.agency_id,
      method: row.method,
      status: row.status,
      attempts: row.attempts,
      nextAttemptAt: row.next_attempt_at,
      lastError: row.last_error,
      deliveredAt: row.delivered_at,
    }));
  }

  /** Whether a report is routed to an agency (and so visible to it). */
  async isRoutedTo(reportId: string, agencyId: string): Promise<boolean> {
    const row = await casesRoutedTo(this.#db, agencyId)
      .select('report_agencies.report_id')
      .where('report_agencies.report_id', '=', reportId)
      .executeTakeFirst();
    return row !== undefined;
  }
}
