import { Hono } from 'hono';
import type { i18n } from 'i18next';
import { z } from 'zod';
import type { CaseReadModels } from '../../intake/cases/case-read-models.js';
import type { CaseUseCases } from '../../intake/cases/case-use-cases.js';
import { deliveryStatuses } from '../../intake/cases/delivery-list.js';
import { apiError } from './api-error.js';
import { requireToken, type Authenticate, type PrincipalVariables } from './bearer-auth.js';

export interface DeliveriesApiDependencies {
  /** Puts a failed delivery back in the queue (retryDelivery, false when no failed delivery has that id). */
  cases: Pick<CaseUseCases, 'retryDelivery'>;
  views: Pick<CaseReadModels, 'deliveries'>;
  authenticate: Authenticate;
  i18n: i18n;
}

export { deliveryStatuses };

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
export function createDeliveriesApi({ cases, views, authenticate, i18n }: DeliveriesApiDependencies) {
  const api = new Hono<{ Variables: PrincipalVariables }>();

  api.get('/deliveries', requireToken(authenticate, i18n, ['admin']), async (c) => {
    // A parameter the list does not take (limit=, status[]=) or a repeated one is refused: ignored, the client
    // would believe it had a page of 5, or both statuses, when it had the default list.
    const given = c.req.queries();
    const unknown = Object.keys(given).filter((name) => name !== 'status');
    if (unknown.length > 0 || (given.status?.length ?? 0) > 1) {
      return apiError(
        c,
        i18n,
        400,
        'invalid_query',
        unknown.length > 0
          ? unknown.map((name) => ({ path: name, code: 'unrecognized_key', message: 'the only parameter is status' }))
          : [{ path: 'status', code: 'invalid_value', message: 'one status at a time' }],
      );
    }
    const query = deliveriesQuerySchema.safeParse(c.req.query());
    if (!query.success) {
      return apiError(c, i18n, 400, 'invalid_query', [
        { path: 'status', code: 'invalid_value', message: `one of: ${deliveryStatuses.join(', ')}` },
      ]);
    }
    const { status } = query.data;
    return c.json({ deliveries: await views.deliveries(status) });
  });

  api.post('/deliveries/:id/retry', requireToken(authenticate, i18n, ['admin']), async (c) => {
    const principal = c.get('principal');
    const retried = await cases.retryDelivery(
      { auditId: `token:${principal.tokenId}`, role: 'admin' },
      deliveryParamsSchema.parse(c.req.param()).id,
    );
    if (!retried) return apiError(c, i18n, 404, 'not_found');
    return c.json({ status: 'pending' });
  });

  return api;
}
