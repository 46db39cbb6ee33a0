import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleRouter } from '../support/example-router.js';
import { createApiToken } from '../../intake/store/api-tokens.js';
import { completeReport, minimalReport } from '../support/fixtures.js';
import { createTestPortal, type TestPortal } from '../support/test-portal.js';

describe('the agency API', () => {
  let portal: TestPortal;
  let tokens: Record<string, string>;
  const references: Record<string, string[]> = { korean: [], thai: [], withheld: [] };

  beforeAll(async () => {
    portal = await createTestPortal('sqlite', { router: exampleRouter });
    tokens = {};
    for (const agency of ['kr-police', 'th-police', 'kh-police']) {
      tokens[agency] = (await createApiToken(portal.database.db, { role: 'agency', agencyId: agency })).token;
    }
    for (let i = 0; i < 5; i += 1) {
      references.korean!.push((await portal.reports.submitReport(completeReport(), { actor: 'test' })).reference);
      references.thai!.push(
        (
          await portal.reports.submitReport(
            { ...completeReport(), victim: { nationality: 'TH' }, incident: { category: 'romance' } },
            { actor: 'test' },
          )
        ).reference,
      );
    }
    references.withheld!.push(
      (await portal.reports.submitReport({ ...minimalReport(), victim: { nationality: 'KR' } }, { actor: 'test' }))
        .reference,
    );
  });
  afterAll(async () => portal?.dispose());

  const get = (path: string, token?: string) =>
    portal.app.request(path, token ? { headers: { authorization: `Bearer ${token}` } } : {});

  async function allPages(token: string, limit: number) {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const response = await get(`/api/v1/agency/cases?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`, token);
      expect(response.status).toBe(200);
      const body = (await response.json()) as { cases: Array<{ reference: string }>; nextCursor: string | null };
      seen.push(...body.cases.map((item) => item.reference));
      cursor = body.nextCursor;
    } while (cursor);
    return seen;
  }

  it("lists only the calling agency's cases, newest first, page by page, never a withheld one", async () => {
    const korean = await allPages(tokens['kr-police']!, 2);
    expect(korean).toEqual([...references.korean!].reverse());
    expect(await allPages(tokens['th-police']!, 3)).toEqual([...references.thai!].reverse());
    expect(await allPages(tokens['kh-police']!, 50)).toEqual([...references.korean!].reverse());
  });

  it("returns a case in full to its agency, with the agency's role", async () => {
    const response = await get(`/api/v1/agency/cases/${references.korean![0]}`, tokens['kh-police']);
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      role: string;
      report: { victim: { nameOrAlias: string } };
      linkedReports: Array<{ reference: string }>;
      linkedElsewhere: number;
    };
    expect(body.role).toBe('copy');
    expect(body.report.victim.nameOrAlias).toBe('김준호');
    // Linked through the shared phone: the other Korean cases by reference, the Thai ones only counted.
    expect(body.linkedReports.map((linked) => linked.reference).sort()).toEqual(references.korean!.slice(1).sort());
    expect(body.linkedElsewhere).toBe(5);
  });

  it("never lets one agency read another's case, by reference, list or export", async () => {
    for (const reference of [...references.thai!, ...references.withheld!]) {
      const response = await get(`/api/v1/agency/cases/${reference}`, tokens['kr-police']);
      expect(response.status).toBe(404);
      expect(JSON.stringify(await response.json())).not.toContain('김준호');
    }
    const exported = await (await get('/api/v1/exports/cases?format=json', tokens['kr-police'])).text();
    for (const reference of [...references.thai!, ...references.withheld!]) expect(exported).not.toContain(reference);
    for (const reference of references.korean!) expect(exported).toContain(reference);
  });

  it('refuses agency endpoints without an agency token', async () => {
    expect((await get('/api/v1/agency/cases')).status).toBe(401);
    expect((await get('/api/v1/agency/cases', portal.adminToken)).status).toBe(403);
    expect((await get('/api/v1/agency/cases', 'rl_forged')).status).toBe(401);
  });

  it('refuses a forged cursor and an out-of-range page size', async () => {
    expect((await get('/api/v1/agency/cases?cursor=bm90LWEtY3Vyc29y', tokens['kr-police'])).status).toBe(400);
    expect((await get('/api/v1/agency/cases?limit=1000', tokens['kr-police'])).status).toBe(400);
  });

  it('exports CSV that a spreadsheet cannot run, and a MISP event of the indicators', async () => {
    await portal.reports.submitReport(
      {
        ...completeReport(),
        incident: { category: 'investment_crypto', narrative: '=HYPERLINK("http://evil.example","click")' },
      },
      { actor: 'test' },
    );
    const csvResponse = await get('/api/v1/exports/cases?format=csv', portal.adminToken);
    expect(csvResponse.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csvResponse.headers.get('content-disposition')).toMatch(/attachment; filename="reportline-cases-all-/);
    const csv = await csvResponse.text();
    expect(csv.split('\r\n')[0]).toMatch(/^reference,created_at,status,urgent,category/);
    expect(csv).toContain(`"'=HYPERLINK(""http://evil.example"",""click"")"`);
    expect(csv).not.toMatch(/(^|,)=HYPERLINK/m);
    // Withheld reports are in no export.
    expect(csv).not.toContain(references.withheld![0]);

    const misp = (await (await get('/api/v1/exports/cases?format=misp', portal.adminToken)).json()) as {
      Event: {
        info: string;
        Object: Array<{
          name: string;
          comment: string;
          Attribute: Array<{ type: string; object_relation: string; value: string }>;
        }>;
      };
    };
    const names = new Set(misp.Event.Object.map((item) => item.name));
    expect(names).toContain('phone-number');
    const phone = misp.Event.Object.find(
      (item) => item.name === 'phone-number' && item.Attribute[0]?.value === '+85512345678',
    );
    expect(phone?.Attribute[0]).toMatchObject({ type: 'phone-number', object_relation: 'phone-number' });
    // Eleven cases share this phone: one object naming them all.
    expect(phone?.comment.split(',').length).toBe(11);
  });

  it('exports nothing from a start in the far future, and refuses a start that is no ISO 8601 date', async () => {
    const cases = async (since: string) => {
      const response = await get(`/api/v1/exports/cases?format=json&since=${since}`, tokens['kr-police']);
      return {
        status: response.status,
        count: response.ok ? ((await response.json()) as { cases: unknown[] }).cases.length : -1,
      };
    };
    const all = await cases('2000-01-01');
    expect(all.status).toBe(200);
    expect(all.count).toBeGreaterThan(0);
    // The year 99999 is a real ISO date only with its sign (+099999); written plainly it sorted before every case.
    expect((await cases('9999-12-31')).count).toBe(0);
    // Each of these Date.parse read as something else (2001, 3 March, the year 99999): all of them exported every case.
    for (const since of ['99999-01-01', '1', 'Dec%201', '2026-02-31', '-1'])
      expect(await cases(since), since).toEqual({ status: 400, count: -1 });
  });

  it('refuses an unknown export format', async () => {
    expect((await get('/api/v1/exports/cases?format=xlsx', portal.adminToken)).status).toBe(400);
  });
});
