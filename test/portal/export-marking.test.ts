import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../app/config.js';
import { tlpMarkingIds } from '../../intake/delivery/exports/cases-stix.js';
import { mispEventUuidForReport } from '../../intake/delivery/exports/indicators-misp.js';
import { createApiToken } from '../../intake/store/api-tokens.js';
import { openConsoleHarness, type ConsoleHarness } from '../support/console-harness.js';

type Tagged = { Tag: Array<{ name: string }> };

/**
 * The deployment chooses how far the receivers may share and act on what
 * they get: every export and the MISP feed carry that TLP and PAP, not the
 * defaults, through the composition root as `npm start` wires it.
 */
describe("exports carry the deployment's TLP and PAP", () => {
  let harness: ConsoleHarness;
  beforeAll(async () => {
    harness = await openConsoleHarness({ REPORTLINE_EXPORT_TLP: 'red', REPORTLINE_EXPORT_PAP: 'GREEN' });
  });
  afterAll(async () => harness?.close());

  it('marks the MISP export and feed and the STIX bundle as configured', async () => {
    const { services, app } = harness;
    const { reportId } = await harness.submit({
      consent: { shareWithLawEnforcement: true },
      victim: { currentCountry: 'TH' },
      suspects: { phones: ['+66 81 234 5678'] },
    });
    const agencyId = (await services.routing.getRouting(reportId))!.agencies[0]!.agencyId;
    const { token: admin } = await createApiToken(services.db, { role: 'admin', label: 'marking test' });
    const { token: agency } = await createApiToken(services.db, { role: 'agency', agencyId, label: 'marking test' });
    const get = (path: string, token: string) => app.request(path, { headers: { authorization: `Bearer ${token}` } });

    const misp = (await (await get('/api/v1/exports/cases?format=misp', admin)).json()) as { Event: Tagged };
    const tags = misp.Event.Tag.map((tag) => tag.name);
    expect(tags).toContain('tlp:red');
    expect(tags).toContain('PAP:GREEN');
    expect(tags).not.toContain('tlp:amber+strict');

    const feedEvent = (await (await get(`/feeds/misp/${mispEventUuidForReport(reportId)}.json`, agency)).json()) as {
      Event: Tagged;
    };
    expect(feedEvent.Event.Tag.map((tag) => tag.name)).toEqual(expect.arrayContaining(['tlp:red', 'PAP:GREEN']));

    const stix = (await (await get('/api/v1/exports/cases?format=stix', admin)).json()) as {
      objects: Array<{ type: string; object_marking_refs?: string[] }>;
    };
    const incident = stix.objects.find((object) => object.type === 'incident')!;
    expect(incident.object_marking_refs).toEqual([tlpMarkingIds.red]);
  });

  it('refuses a marking that is not a TLP or PAP level, naming the variable', () => {
    expect(() => loadConfig({ REPORTLINE_EXPORT_TLP: 'white' })).toThrow(
      /REPORTLINE_EXPORT_TLP must be one of clear, green, amber, amber\+strict, red/,
    );
    expect(() => loadConfig({ REPORTLINE_EXPORT_PAP: 'blue' })).toThrow(
      /REPORTLINE_EXPORT_PAP must be one of RED, AMBER, GREEN, WHITE/,
    );
  });
});
