import { Hono } from 'hono';
import type { i18n } from 'i18next';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../intake/store/database.js';
import { apiError } from './api-error.js';
import { requireToken, type Authenticate, type PrincipalVariables } from './bearer-auth.js';

export interface DeliveriesApiDependencies {
  db: Kysely<Database>;
  /** Puts a failed delivery back in the queue; false when there was no failed delivery with that id. */
  retryDelivery: (deliveryId: string, actor: string) => Promise<boolean>;
  authenticate: Authenticate;
  i18n: i18n;
}

export const deliveryStatuses = ['pending', 'delivered', 'failed'] as const;

/** `GET /deliveries`: which deliveries to list. */
export const deliveriesQuerySchema = z.object({
  status: z
    .enum(deliveryStatuses)
    .default('failed')
    .meta({ description: 'Which deliveries to list, newest first (at most 500).' }),
});

/** `POST /deliveries/:id/retry`. */
export const deliveryParamsSchema = z.object({
  id: z.string().meta({ description: 'The delivery, as `GET /deliveries` lists it.' }),
});

/**
 * Deliveries that failed after their last try are never silently lost: staff
 * list them here (newest first, with the reason) and put them back in the
 * queue once the receiving side is fixed.
 */
export function createDeliveriesApi({ db, retryDelivery, authenticate, i18n }: DeliveriesApiDependencies) {
  const api = new Hono<{ Variables: PrincipalVariables }>();

  api.get('/deliveries', requireToken(authenticate, i18n, ['admin']), async (c) => {
    const query = deliveriesQuerySchema.safeParse(c.req.query());
    if (!query.success) {
      return apiError(c, i18n, 400, 'invalid_query', [
        { path: 'status', code: 'invalid_value', message: `one of: ${deliveryStatuses.join(', ')}` },
      ]);
    }
    const { status } = query.data;
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
      .limit(500)
      .execute();
    return c.json({ deliveries: rows.map((row) => ({ ...row, urgent: row.urgent === 1 })) });
  });

  api.post('/deliveries/:id/retry', requireToken(authenticate, i18n, ['admin']), async (c) => {
    const retried = await retryDelivery(
      deliveryParamsSchema.parse(c.req.param()).id,
      `token:${c.get('principal').tokenId}`,
    );
    if (!retried) return apiError(c, i18n, 404, 'not_found');
    return c.json({ status: 'pending' });
  });

  return api;
}
