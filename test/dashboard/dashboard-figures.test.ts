import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsoleHarness } from '../support/console-harness.js';
import { openHarnessOn } from '../support/harness-on-database.js';
import { testDatabaseKinds, warnIfPostgresSkipped } from '../support/test-databases.js';
import { csvFigures, fixturePeriod, weekOne, weekTwo, writeDashboardFixture } from './dashboard-fixture.js';

warnIfPostgresSkipped();

const period = `from=${fixturePeriod.from}&to=${fixturePeriod.to}`;

describe.each(testDatabaseKinds)('the dashboard over a known fixture (%s)', (kind) => {
  let harness: ConsoleHarness;
  let close: () => Promise<void>;
  let ids: Awaited<ReturnType<typeof writeDashboardFixture>>;
  let staff: Awaited<ReturnType<ConsoleHarness['signedIn']>>;

  beforeAll(async () => {
    ({ harness, close } = await openHarnessOn(kind));
    ids = await writeDashboardFixture(harness);
    staff = await harness.signedIn('supervisor');
  }, 60_000);
  afterAll(async () => {
    await close?.();
  });

  it('counts reports per week by kind, country and channel, the period bounds included and nothing outside', async () => {
    const csv = await staff.open(`/staff/dashboard.csv?${period}`);
    expect(csv.response.status).toBe(200);
    expect(csv.response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.response.headers.get('content-disposition')).toContain('attachment');
    const figures = csvFigures(csv.html);
    const expected: Record<string, string> = {
      [`reports_by_category|${weekOne}|investment_crypto|`]: '2',
      [`reports_by_category|${weekOne}|romance|`]: '1',
      [`reports_by_category|${weekTwo}|fake_job_compound|`]: '3',
      [`reports_by_country|${weekOne}|KH|`]: '2',
      [`reports_by_country|${weekOne}|TH|`]: '1',
      [`reports_by_country|${weekTwo}|MM|`]: '3',
      [`reports_by_channel|${weekOne}|web|`]: '2',
      [`reports_by_channel|${weekOne}|telegram|`]: '1',
      [`reports_by_channel|${weekTwo}|line|`]: '2',
      [`reports_by_channel|${weekTwo}|web|`]: '1',
      [`urgent_reports|${weekTwo}||`]: '3',
    };
    for (const [key, value] of Object.entries(expected)) expect(figures.get(key), key).toBe(value);
    const weeklyPanels = [...figures.keys()].filter((key) => key.startsWith('reports_by_category|'));
    // The week of 31 August (a report on its Sunday, 23:59:59) is outside the period: no row of it.
    expect(weeklyPanels.every((key) => key.includes(weekOne) || key.includes(weekTwo))).toBe(true);
    expect(weeklyPanels).toHaveLength(3);
  });

  it('measures the time to take urgent cases: median and 90th percentile of those taken', async () => {
    const figures = csvFigures((await staff.open(`/staff/dashboard.csv?${period}`)).html);
    expect(figures.get('urgent_clocks|||urgent|')).toBeUndefined();
    expect(figures.get('urgent_clocks||urgent|')).toBe('3');
    expect(figures.get('urgent_clocks||acknowledged|')).toBe('2');
    expect(figures.get('urgent_clocks||median_seconds_to_acknowledge|')).toBe('120');
    expect(figures.get('urgent_clocks||p90_seconds_to_acknowledge|')).toBe('600');
    expect(figures.get(`urgent_clocks|${weekTwo}|median_seconds_to_acknowledge|`)).toBe('120');
    const page = await staff.open(`/staff/dashboard?${period}`);
    expect(page.html).toMatch(/data-figure="median" data-seconds="120"/);
    expect(page.html).toMatch(/data-figure="p90" data-seconds="600"/);
  });

  it('lists the compounds with people held now, the most-reported values and the linked share', async () => {
    const csv = await staff.open(`/staff/dashboard.csv?${period}`);
    const figures = csvFigures(csv.html);
    expect(figures.get('compounds_held_now||KK Park|MM')).toBe('2');
    // A name that would be a formula is written as text (a leading apostrophe), never as a formula.
    expect(csv.html).toContain(`"'=HYPERLINK(""http://evil.example"")",MM,1`);
    // The phone is two reports' of the period (the third is the week before), its middle hidden even for staff;
    // it starts with + and so is written as text (a leading apostrophe) like any cell a spreadsheet would compute.
    expect(figures.get("most_reported_phones||'+855•••••678|phone")).toBe('2');
    expect(csv.html).not.toContain('85512345678');
    expect(figures.get('most_reported_sites||kkpark-jobs.top|domain')).toBe('2');
    expect(figures.get(`linked_reports|${weekOne}|reports|`)).toBe('3');
    expect(figures.get(`linked_reports|${weekOne}|linked|`)).toBe('2');
    expect(figures.get(`linked_reports|${weekTwo}|reports|`)).toBe('3');
    expect(figures.get(`linked_reports|${weekTwo}|linked|`)).toBe('2');
  });

  it('draws the same numbers in the SVG charts and their tables', async () => {
    const page = await staff.open(`/staff/dashboard?${period}`);
    expect(page.response.status).toBe(200);
    const html = page.html;
    const chart = /<svg[^>]*data-chart="reports-by-category-chart"[\s\S]*?<\/svg>/.exec(html)?.[0] ?? '';
    expect(chart).toMatch(/role="img"/);
    expect(chart).toMatch(/<title id="reports-by-category-chart-title">/);
    const firstWeek = /<g class="week" data-week="0">[\s\S]*?<\/g>/.exec(chart)?.[0] ?? '';
    expect(firstWeek).toMatch(/data-series="investment_crypto" data-value="2"/);
    expect(firstWeek).toMatch(/data-series="romance" data-value="1"/);
    const table = /<table data-table="reports-by-category">[\s\S]*?<\/table>/.exec(html)?.[0] ?? '';
    const secondRow = new RegExp(`<tr data-week="${weekTwo}">[\\s\\S]*?</tr>`).exec(table)?.[0] ?? '';
    expect(secondRow).toMatch(/data-series="fake_job_compound">3</);
    expect(secondRow).toMatch(/data-series="total">3</);
    // Staff reach the search for a site; a phone has no link (its value would sit in an address).
    expect(html).toContain('href="/staff/search?q=domain%3Akkpark-jobs.top"');
    expect(html).not.toMatch(/search\?q=phone/);
    expect(html).toMatch(/data-figure="linked-share" data-linked="4" data-reports="6"/);
    expect(html).toMatch(/<tr data-compound="cmp-kk">[\s\S]*?data-value="2"/);
    expect(html).toContain('<a href="/staff/compounds/cmp-kk"><bdi>KK Park</bdi></a>');
  });

  it('shows an agency only the cases referred to it, in its counts, lists and values', async () => {
    const routedTo = async (reportId: string) =>
      ((await harness.services.routing.getRouting(reportId))?.agencies ?? []).map((agency) => agency.agencyId);
    const agencyId = (await routedTo(ids.cryptoOne))[0]!;
    const inPeriod = [ids.cryptoOne, ids.cryptoTwo, ids.romance, ids.heldOne, ids.heldTwo, ids.heldThree];
    const theirs: string[] = [];
    for (const id of inPeriod) if ((await routedTo(id)).includes(agencyId)) theirs.push(id);
    // The fixture is only a test of scope if the agency has some of the period's reports and not all.
    expect(theirs.length).toBeGreaterThan(0);
    expect(theirs.length).toBeLessThan(inPeriod.length);

    const agency = await harness.signedIn('agency', agencyId);
    const csv = await agency.open(`/agency/dashboard.csv?${period}`);
    expect(csv.response.status).toBe(200);
    const figures = csvFigures(csv.html);
    const total = [...figures.entries()]
      .filter(([key]) => key.startsWith('reports_by_category|'))
      .reduce((sum, [, value]) => sum + Number(value), 0);
    expect(total).toBe(theirs.length);
    const held = [ids.heldOne, ids.heldTwo].filter((id) => theirs.includes(id)).length;
    expect(figures.get('compounds_held_now||KK Park|MM')).toBe(held > 0 ? String(held) : undefined);
    const both = [ids.cryptoOne, ids.cryptoTwo].every((id) => theirs.includes(id));
    expect(figures.get("most_reported_phones||'+855•••••678|phone")).toBe(both ? '2' : undefined);

    const page = await agency.open(`/agency/dashboard?${period}`);
    expect(page.response.status).toBe(200);
    expect(page.html).toContain('data-scope="agency"');
    expect(page.html).not.toContain('/staff/search');
    // The hotline's dashboard is not the agency's, nor the other way round.
    expect((await agency.open(`/staff/dashboard?${period}`)).response.status).toBe(403);
    expect((await staff.open(`/agency/dashboard?${period}`)).response.status).toBe(403);
  });

  it('refuses a period it cannot read with a translated message, and shows the recent weeks instead', async () => {
    for (const [query, problem] of [
      ['from=2026-02-30&to=2026-03-10', 'dashboard.period.invalidDate'],
      ['from=2026-09-20&to=2026-09-07', 'dashboard.period.reversed'],
      ['from=2020-01-01&to=2026-09-07', 'dashboard.period.tooLong'],
      ['from=2026-09-07', 'dashboard.period.invalidDate'],
      ['weeks=NaN', 'dashboard.period.invalidWeeks'],
      ['weeks=-4', 'dashboard.period.invalidWeeks'],
      ['weeks=5', 'dashboard.period.invalidWeeks'],
    ] as const) {
      const page = await staff.open(`/staff/dashboard?${query}`);
      expect(page.response.status, query).toBe(400);
      expect(page.html, query).toContain(`data-message="${problem}"`);
      expect(page.html, query).toContain('data-chart="reports-by-category-chart"');
      expect((await staff.open(`/staff/dashboard.csv?${query}`)).response.status, query).toBe(400);
    }
    // Not signed in: no figures at all.
    expect((await harness.app.request('/staff/dashboard.csv')).status).not.toBe(200);
  });
});
