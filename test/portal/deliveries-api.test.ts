import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeliveryDispatcher } from '../../intake/delivery/delivery-dispatcher.js';
import { routeToKoreaAndCambodia } from '../support/delivery-fixture.js';
import { completeReport } from '../support/fixtures.js';
import { createTestPortal, type TestPortal } from '../support/test-portal.js';

describe('failed deliveries in the API', () => {
  let portal: TestPortal;
  let dispatcher: DeliveryDispatcher;

  beforeAll(async () => {
    portal = await createTestPortal('sqlite', { router: routeToKoreaAndCambodia });
    dispatcher = new DeliveryDispatcher({
      db: portal.database.db,
      maxAttempts: 1,
      send: async () => {
        throw new Error('receiver down');
      },
    });
  });
  afterAll(async () => portal?.dispose());

  const request = (path: string, init: RequestInit = {}, token = portal.adminToken) =>
    portal.app.request(path, { ...init, headers: { authorization: `Bearer ${token}` } });

  it('lists deliveries that failed after their last try, and puts one back in the queue', async () => {
    const { reference } = await portal.reports.submitReport(completeReport(), { actor: 'test' });
    await dispatcher.runOnce();
    const listed = (await (await request('/api/v1/deliveries?status=failed')).json()) as {
      deliveries: Array<{ id: string; reference: string; agencyId: string; lastError: string; urgent: boolean }>;
    };
    expect(
      listed.deliveries
        .map((delivery) => [delivery.reference, delivery.agencyId, delivery.lastError, delivery.urgent])
        .sort(),
    ).toEqual([
      [reference, 'kh-police', 'unexpected error while sending', true],
      [reference, 'kr-police', 'unexpected error while sending', true],
    ]);
    const first = listed.deliveries[0]!;
    expect((await request(`/api/v1/deliveries/${first.id}/retry`, { method: 'POST' })).status).toBe(200);
    expect((await request(`/api/v1/deliveries/${first.id}/retry`, { method: 'POST' })).status).toBe(404);
    const pending = (await (await request('/api/v1/deliveries?status=pending')).json()) as {
      deliveries: Array<{ id: string }>;
    };
    expect(pending.deliveries.map((delivery) => delivery.id)).toEqual([first.id]);
  });

  it('is for administrators only', async () => {
    expect((await portal.app.request('/api/v1/deliveries')).status).toBe(401);
    expect((await request('/api/v1/deliveries?status=lost')).status).toBe(400);
    // Not ignored: a client asking for a page of 5, or two statuses, would take the default list for its answer.
    for (const query of ['limit=-5', 'status[]=x', 'status=failed&status=pending', 'status=failed&limit=5']) {
      const refused = await request(`/api/v1/deliveries?${query}`);
      expect(refused.status).toBe(400);
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('invalid_query');
    }
  });
});
