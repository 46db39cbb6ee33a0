import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaseRouter } from '../../intake/routing/case-router.js';
import { loadAgencyDirectory } from '../../intake/routing/load-agency-directory.js';
import { completeReport } from '../support/fixtures.js';
import { createTestPortal, type TestPortal } from '../support/test-portal.js';

describe('the routing of a report in the API report view', () => {
  let portal: TestPortal;
  beforeAll(async () => {
    portal = await createTestPortal('sqlite', { router: createCaseRouter(loadAgencyDirectory()) });
  });
  afterAll(async () => portal?.dispose());

  it('shows where the case went and why, in the reader’s language', async () => {
    const submitted = await portal.app.request('/api/v1/reports', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(completeReport()),
    });
    const { reference } = (await submitted.json()) as { reference: string };
    const read = async (language: string) =>
      (await (
        await portal.app.request(`/api/v1/reports/${reference}`, {
          headers: { authorization: `Bearer ${portal.adminToken}`, 'accept-language': language },
        })
      ).json()) as {
        routing: { withheld: boolean; agencies: Array<{ agencyId: string; role: string }>; explanation: string[] };
      };

    const english = await read('en');
    expect(english.routing.withheld).toBe(false);
    expect(english.routing.agencies[0]).toEqual({ agencyId: 'kh-cnp', role: 'primary' });
    expect(english.routing.explanation[0]).toBe(
      'Main contact: Cambodian National Police, because you are held in Sihanoukville, Cambodia, and the police there can reach you.',
    );
    const korean = await read('ko');
    expect(korean.routing.explanation[1]).toBe('함께 전달: 경찰청. 이유: 대한민국 국민이기 때문입니다.');
  });
});
