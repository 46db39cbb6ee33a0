import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaseRouter } from '../../intake/routing/case-router.js';
import { describeRouting } from '../../intake/routing/describe-routing.js';
import type { RoutingDecision } from '../../intake/routing/route-report.js';
import { loadAgencyDirectory } from '../../intake/routing/load-agency-directory.js';
import { completeReport } from '../support/fixtures.js';
import { createTestPortal, testI18n, type TestPortal } from '../support/test-portal.js';

describe('the routing of a report in the API report view', () => {
  const directory = loadAgencyDirectory();
  let portal: TestPortal;
  beforeAll(async () => {
    portal = await createTestPortal('sqlite', { router: createCaseRouter(directory) });
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
        routing: {
          decision: RoutingDecision;
          withheld: boolean;
          agencies: Array<{ agencyId: string; role: string }>;
          explanation: string[];
        };
      };

    const english = await read('en');
    expect(english.routing.withheld).toBe(false);
    expect(english.routing.agencies[0]).toEqual({ agencyId: 'kh-cnp', role: 'primary' });
    // Worded for the staff and partner systems that read it, not for the reporter.
    const forStaff = (language: string) =>
      describeRouting(english.routing.decision, { reader: 'staff', language }, { directory, i18n: testI18n });
    expect(english.routing.explanation).toEqual(forStaff('en'));
    expect(english.routing.explanation[0]).toContain('Sihanoukville');
    const korean = await read('ko');
    expect(korean.routing.explanation).toEqual(forStaff('ko'));
    expect(korean.routing.explanation[1]).toContain('경찰청');
  });
});
