import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPortal, type TestPortal } from '../support/test-portal.js';

describe('looking up an indicator through the API', () => {
  let portal: TestPortal;
  const references: string[] = [];

  beforeAll(async () => {
    portal = await createTestPortal();
    for (const phone of ['+855 12 345 678', '012 345 678']) {
      const report = {
        consent: { shareWithLawEnforcement: true },
        victim: { currentCountry: 'KH' },
        suspects: { phones: [phone] },
      };
      references.push((await portal.reports.submitReport(report, { actor: 'test' })).reference);
    }
  });
  afterAll(async () => portal?.dispose());

  const get = (path: string, token = portal.adminToken) =>
    portal.app.request(path, { headers: { authorization: `Bearer ${token}` } });

  it('lists every report carrying a number, however the analyst writes it', async () => {
    for (const written of ['+855%2012%20345%20678', '%2B85512345678', '012345678?country=kh']) {
      const response = await get(`/api/v1/indicators/phone/${written}`);
      expect(response.status).toBe(200);
      const body = (await response.json()) as { indicator: { value: string }; reports: Array<{ reference: string }> };
      expect(body.indicator.value).toBe('+85512345678');
      expect(body.reports.map((report) => report.reference).sort()).toEqual([...references].sort());
    }
  });

  it('shows the linked reports with the shared indicator in the report view', async () => {
    const body = (await (await get(`/api/v1/reports/${references[0]}`)).json()) as {
      linkedReports: Array<{ reference: string; shared: Array<{ kind: string; value: string }> }>;
    };
    expect(body.linkedReports).toEqual([
      expect.objectContaining({ reference: references[1], shared: [{ kind: 'phone', value: '+85512345678' }] }),
    ]);
  });

  it('refuses an unknown kind or a value that is not one, and a request without an admin token', async () => {
    expect((await get('/api/v1/indicators/fax/123')).status).toBe(400);
    expect((await get('/api/v1/indicators/phone/hello')).status).toBe(400);
    expect((await portal.app.request('/api/v1/indicators/phone/%2B85512345678')).status).toBe(401);
  });
});
