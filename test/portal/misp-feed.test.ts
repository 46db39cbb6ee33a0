import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mispEventUuidForReport } from '../../intake/delivery/exports/indicators-misp.js';
import { createApiToken } from '../../intake/store/api-tokens.js';
import { openConsoleHarness, type ConsoleHarness } from '../support/console-harness.js';
import { completeReport } from '../support/fixtures.js';

interface FeedEvent {
  Event: {
    uuid: string;
    info: string;
    timestamp: number;
    Tag: Array<{ name: string }>;
    Object: Array<{
      name: string;
      template_uuid: string;
      template_version: number;
      Attribute: Array<{ object_relation: string; value: string; type: string }>;
    }>;
  };
}

describe('the MISP feed', () => {
  let harness: ConsoleHarness;
  const cases: Record<
    'thai' | 'lao' | 'withheld',
    { reportId: string; reference: string; agencies: string[]; withheld: boolean }
  > = {} as never;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    harness = await openConsoleHarness({
      REPORTLINE_IGNORED_INDICATORS: 'phone:+66 2 123 4567, domain:https://www.binance.com/en',
    });
    const { services } = harness;
    const submit = async (key: keyof typeof cases, input: Parameters<typeof services.reports.submitReport>[0]) => {
      const { reportId, reference } = await services.reports.submitReport(input, { actor: 'test' });
      const routing = (await services.routing.getRouting(reportId))!;
      cases[key] = {
        reportId,
        reference,
        agencies: routing.agencies.map((agency) => agency.agencyId),
        withheld: routing.withheld,
      };
    };
    await submit('thai', {
      ...completeReport(),
      victim: { nationality: 'TH', currentCountry: 'TH', coordinates: { latitude: 13.7563, longitude: 100.5018 } },
      incident: {
        category: 'romance',
        narrative: 'He asked me to send money to his account. His number is +66 81 234 5678.',
      },
    });
    await submit('lao', {
      consent: { shareWithLawEnforcement: true },
      victim: { currentCountry: 'LA' },
      suspects: { phones: ['+856 20 5555 1234'] },
    });
    await submit('withheld', {
      consent: { shareWithLawEnforcement: false },
      victim: { currentCountry: 'TH' },
      suspects: { phones: ['+66 81 999 8888'] },
    });
    for (const agencyId of new Set([...cases.thai.agencies, ...cases.lao.agencies])) {
      tokens[agencyId] = (await createApiToken(services.db, { role: 'agency', agencyId })).token;
    }
    tokens.admin = (await createApiToken(services.db, { role: 'admin' })).token;
  });
  afterAll(async () => harness?.close());

  const get = (path: string, token?: string) =>
    harness.app.request(path, token ? { headers: { authorization: `Bearer ${token}` } } : {});
  const thaiAgency = () => cases.thai.agencies[0]!;
  const laoAgency = () => cases.lao.agencies.find((agency) => !cases.thai.agencies.includes(agency))!;

  it('routes the three reports as the test needs: two agencies apart, and one withheld from the first for lack of consent', () => {
    expect(cases.thai.agencies.length).toBeGreaterThan(0);
    expect(laoAgency()).toBeDefined();
    expect(cases.withheld).toMatchObject({ withheld: true, agencies: [thaiAgency()] });
  });

  it('answers only an agency token', async () => {
    for (const path of [
      '/feeds/misp/manifest.json',
      '/feeds/misp/hashes.csv',
      '/feeds/misp/warninglist.json',
      `/feeds/misp/${mispEventUuidForReport(cases.thai.reportId)}.json`,
    ]) {
      expect((await get(path)).status, path).toBe(401);
      expect((await get(path, 'rl_forged')).status, path).toBe(401);
      expect((await get(path, tokens.admin)).status, path).toBe(403);
    }
  });

  it("lists the agency's own cases in the manifest, keyed by a uuid derived from the report id", async () => {
    const response = await get('/feeds/misp/manifest.json', tokens[thaiAgency()]);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const manifest = (await response.json()) as Record<string, Record<string, unknown>>;
    expect(Object.keys(manifest)).toEqual([mispEventUuidForReport(cases.thai.reportId)]);
    const entry = manifest[mispEventUuidForReport(cases.thai.reportId)]!;
    // PyMISP's MISPEvent.manifest: these keys, these types.
    expect(Object.keys(entry).sort()).toEqual([
      'Orgc',
      'Tag',
      'analysis',
      'date',
      'info',
      'threat_level_id',
      'timestamp',
    ]);
    expect(entry).toMatchObject({
      Orgc: { name: expect.any(String), uuid: expect.any(String) },
      info: `Reportline case ${cases.thai.reference}: Romance scam`,
    });
    expect(entry.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    for (const key of ['analysis', 'threat_level_id', 'timestamp'] as const)
      expect(Number.isInteger(entry[key]), key).toBe(true);
    expect((entry.Tag as Array<{ name: string }>).map((tag) => tag.name)).toEqual([
      'tlp:amber+strict',
      'PAP:AMBER',
      'circl:incident-classification="scam"',
      'misp-galaxy:financial-fraud="Romance Scam"',
      'misp-galaxy:mitre-fraud-framework="Establish Accounts - T1585"',
    ]);
    const lao = (await (await get('/feeds/misp/manifest.json', tokens[laoAgency()])).json()) as Record<string, unknown>;
    expect(Object.keys(lao)).toEqual([mispEventUuidForReport(cases.lao.reportId)]);
  });

  it('serves each of its cases as an event, and answers 404 alike for another agency’s, a withheld and a made-up one', async () => {
    const uuid = mispEventUuidForReport(cases.thai.reportId);
    const response = await get(`/feeds/misp/${uuid}.json`, tokens[thaiAgency()]);
    expect(response.status).toBe(200);
    const event = (await response.json()) as FeedEvent;
    expect(event.Event.uuid).toBe(uuid);
    const phone = event.Event.Object.find(
      (object) => object.name === 'phone-number' && object.Attribute[0]?.value === '+66812345678',
    );
    expect(phone).toMatchObject({ template_uuid: 'c4b5a67c-63d2-11ec-90d6-0242ac120003', template_version: 1 });
    expect(event.Event.Object.map((object) => object.name)).toContain('geolocation');
    // The reporter and the victim's name never leave in the feed.
    const body = JSON.stringify(event);
    for (const personal of ['김민지', 'minji.kim@example.kr', '김준호']) expect(body).not.toContain(personal);

    const answers = [];
    for (const path of [
      `/feeds/misp/${mispEventUuidForReport(cases.lao.reportId)}.json`,
      `/feeds/misp/${mispEventUuidForReport(cases.withheld.reportId)}.json`,
      `/feeds/misp/${randomUUID()}.json`,
      `/feeds/misp/${cases.thai.reference}.json`,
    ]) {
      const answer = await get(path, tokens[thaiAgency()]);
      answers.push({ status: answer.status, body: await answer.text() });
    }
    expect(new Set(answers.map((answer) => JSON.stringify(answer))).size).toBe(1);
    expect(answers[0]!.status).toBe(404);
  });

  it("writes hashes.csv of the agency's own events only, MD5 of each value then the event uuid", async () => {
    const response = await get('/feeds/misp/hashes.csv', tokens[thaiAgency()]);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = (await response.text()).trimEnd().split('\n');
    const uuid = mispEventUuidForReport(cases.thai.reportId);
    expect(lines.length).toBeGreaterThan(3);
    for (const line of lines) expect(line).toMatch(new RegExp(`^[0-9a-f]{32},${uuid}$`));
    expect(lines).toContain(`${createHash('md5').update('+66812345678').digest('hex')},${uuid}`);
    expect(lines).not.toContain(`${createHash('md5').update('+66819998888').digest('hex')},${uuid}`);
  });

  it('serves a warninglist in the misp-warninglists format', async () => {
    const response = await get('/feeds/misp/warninglist.json', tokens[thaiAgency()]);
    expect(response.status).toBe(200);
    const list = (await response.json()) as Record<string, unknown>;
    expect(Object.keys(list).sort()).toEqual(['description', 'list', 'matching_attributes', 'name', 'type', 'version']);
    expect(list.type).toBe('string');
    expect(Number.isInteger(list.version)).toBe(true);
    expect(Array.isArray(list.list) && Array.isArray(list.matching_attributes)).toBe(true);
  });

  it("lists the deployment's ignored indicators (REPORTLINE_IGNORED_INDICATORS), through the composition root", async () => {
    const list = (await (await get('/feeds/misp/warninglist.json', tokens[thaiAgency()])).json()) as {
      list: string[];
      matching_attributes: string[];
    };
    expect(list.list).toEqual(['+6621234567', 'binance.com']);
    expect(list.matching_attributes).toEqual(['domain', 'phone-number']);
  });
});
