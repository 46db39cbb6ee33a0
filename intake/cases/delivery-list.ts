import type { Kysely } from 'kysely';
import type { Database } from '../store/database.js';

export const deliveryStatuses = ['pending', 'delivered', 'failed'] as const;
export type DeliveryListStatus = (typeof deliveryStatuses)[number];

export interface DeliveryListEntry {
  id: string;
  reference: string;
  agencyId: string;
  method: string;
  status: string;
  attempts: number;
  lastError: string | null;
  nextAttemptAt: string;
  urgent: boolean;
}

/** Deliveries in one status, newest first, with their case's reference and the reason of a failure. */
export async function listDeliveries(
  db: Kysely<Database>,
  status: DeliveryListStatus,
  limit = 500,
): Promise<DeliveryListEntry[]> {
  const rows = await db
    .selectFrom('deliveries')
    .innerJoin('reports', 'reports.id', 'deliveries.report_id')
    .select([
      'deliveries.id',
      'reports.reference',
      'deliveries.agency_id as agencyId',
      'deliveries.method',
      'deliveries.status',
      'deliveries.attempts',
      'deliveries.last_error as lastError',
      'deliveries.next_attempt_at as nextAttemptAt',
      'deliveries.urgent',
    ])
    .where('deliveries.status', '=', status)
    .orderBy('deliveries.created_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map((row) => ({ ...row, attempts: Number(row.attempts), urgent: row.urgent === 1 }));
}
