import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openConsoleHarness, type ConsoleHarness } from '../support/console-harness.js';

/** KK Park, by Myawaddy. */
const kkPark = { latitude: 16.7416, longitude: 98.5325 };

const compoundFields = {
  name: 'KK Park',
  aliases: 'เคเคปาร์ค\nKK园区',
  country: 'MM',
  area: 'Myawaddy',
  latitude: String(kkPark.latitude),
  longitude: String(kkPark.longitude),
  landmarks: 'Moei river',
  status: 'active',
  notes: 'Seen in three reports (hotline notes).',
};

const messages = (html: string) => [...html.matchAll(/data-message="([^"]+)"/g)].map((match) => match[1]!);
/** The cases a section of the compound page lists (`held`, `confirmed`, `proposed`). */
const listed = (html: string, section: string) => {
  const block = new RegExp(`id="${section}"([\\s\\S]*?)</section>`).exec(html)?.[1] ?? '';
  return [...block.matchAll(/<li data-reference="([^"]+)"/g)].map((match) => match[1]!).sort();
};
const count = (html: string, name: string) => new RegExp(`data-count="${name}">\\(?(\\d+)`).exec(html)?.[1];

describe('the compounds register in the console and the agency inbox', () => {
  let harness: ConsoleHarness;
  let staff: Awaited<ReturnType<ConsoleHarness['signedIn']>>;
  const references: Record<string, string> = {};
  let compoundPath = '';

  beforeAll(async () => {
    harness = await openConsoleHarness();
    staff = await harness.signedIn('hotline');
    for (const [name, nationality, urgent, north] of [
      ['thai', 'TH', true, 0.001],
      ['korean', 'KR', false, -0.002],
    ] as const) {
      references[name] = (
        await harness.submit({
          consent: { shareWithLawEnforcement: true },
          language: 'en',
          safety: { heldAgainstWill: urgent },
          victim: {
            currentCountry: 'MM',
            nationality,
            coordinates: { latitude: kkPark.latitude + north, longitude: kkPark.longitude },
          },
          incident: { category: 'fake_job_compound', narrative: 'They took my passport. I cannot leave.' },
        })
      ).reference;
    }
  });
  afterAll(async () => harness?.close());

  it('refuses a bad entry field by field, keeping what was typed, then adds it', async () => {
    const empty = await staff.open('/staff/compounds');
    expect(empty.response.status).toBe(200);
    expect(messages(empty.html)).toContain('compounds.empty');
    expect(empty.html).toContain('href="/staff/compounds"');
    const form = await staff.open('/staff/compounds/new');
    const refused = await staff.submit(form, '/staff/compounds', {
      ...compoundFields,
      name: '  ',
      country: 'Myanmar',
      latitude: 'north of the river',
      aliases: 'KK Park Zone B\nKK园区',
    });
    expect(refused.response.status).toBe(400);
    expect(messages(refused.html)).toEqual(
      expect.arrayContaining([
        'compounds.formErrors',
        'compounds.problem.required',
        'compounds.problem.country',
        'compounds.problem.coordinates',
      ]),
    );
    expect(refused.html).toContain('KK Park Zone B');
    expect(refused.html).toContain('north of the river');
    const added = await staff.submit(refused, '/staff/compounds', compoundFields);
    expect(added.response.status).toBe(200);
    expect(messages(added.html)).toContain('compounds.added');
    compoundPath = /href="(\/staff\/compounds\/[0-9a-f-]{36})\/edit"/.exec(added.html)![1]!;
  });

  it('shows the proposals on the compound and on the case, and confirms them from either page', async () => {
    await harness.services.compoundMatcher.runOnce();
    const compound = await staff.open(compoundPath);
    expect(listed(compound.html, 'proposed')).toEqual([references.thai, references.korean].sort());
    expect(compound.html).toContain('data-reason="location"');

    const casePage = await staff.open(`/staff/cases/${references.thai}`);
    expect(casePage.html).toContain('id="compounds"');
    expect(casePage.html).toMatch(/data-state="proposed"/);
    const fromCase = await staff.submit(casePage, `${compoundPath}/cases/${references.thai}`, {
      decision: 'confirmed',
      back: 'case',
    });
    expect(fromCase.response.status).toBe(200);
    expect(messages(fromCase.html)).toContain('compounds.confirmed');
    expect(fromCase.html).toMatch(/data-state="confirmed"/);
    const fromCompound = await staff.submit(compound, `${compoundPath}/cases/${references.korean}`, {
      decision: 'confirmed',
      back: 'compound',
    });
    expect(messages(fromCompound.html)).toContain('compounds.confirmed');
    expect(listed(fromCompound.html, 'confirmed')).toEqual([references.thai, references.korean].sort());
    expect(listed(fromCompound.html, 'held')).toEqual([references.thai]);
    expect(count(fromCompound.html, 'heldNow')).toBe('1');
    expect(fromCompound.html).toContain('<svg');
    expect(fromCompound.html).toMatch(/data-month="\d{4}-\d{2}" data-reports="2"/);

    const list = await staff.open('/staff/compounds');
    expect(list.html).toMatch(/data-count="heldNow">1</);
    expect(list.html).toMatch(/data-count="confirmed">2</);
  });

  it('exports the compound as a MISP event with its geolocation', async () => {
    const response = await harness.app.request(`${compoundPath}/misp`, {
      headers: { cookie: [...staff.cookies].map(([name, value]) => `${name}=${value}`).join('; ') },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toMatch(/^attachment;/);
    const { Event: event } = (await response.json()) as {
      Event: { Object: Array<{ name: string; Attribute: Array<{ object_relation: string; value: string }> }> };
    };
    const geolocation = event.Object.find((object) => object.name === 'geolocation')!;
    expect(geolocation.Attribute).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ object_relation: 'latitude', value: '16.7416' }),
        expect.objectContaining({ object_relation: 'longitude', value: '98.5325' }),
      ]),
    );
  });

  it('refuses a decision on a case never proposed, and a path that names no compound', async () => {
    const other = (
      await harness.submit({ consent: { shareWithLawEnforcement: true }, incident: { narrative: 'A loan app.' } })
    ).reference;
    await harness.services.compoundMatcher.runOnce();
    const page = await staff.open(compoundPath);
    const refused = await staff.submit(page, `${compoundPath}/cases/${other}`, { decision: 'confirmed' });
    expect(refused.response.status).toBe(400);
    expect(messages(refused.html)).toContain('compounds.error.notProposed');
    for (const path of ['/staff/compounds/not-a-compound', '/staff/compounds/00000000-0000-7000-8000-000000000000']) {
      const missing = await staff.open(path);
      expect(missing.response.status).toBe(404);
      // The page names what is missing: a compound, not a case.
      expect(messages(missing.html)).toContain('compounds.notFound');
      expect(messages(missing.html)).not.toContain('case.notFound');
    }
  });

  it('keeps an edit made meanwhile, and the second editor keeps what they typed', async () => {
    const first = await staff.open(`${compoundPath}/edit`);
    const second = await staff.open(`${compoundPath}/edit`);
    const seenUpdatedAt = /name="seenUpdatedAt" value="([^"]+)"/.exec(first.html)![1]!;
    const saved = await staff.submit(first, compoundPath, { ...compoundFields, status: 'raided', seenUpdatedAt });
    expect(messages(saved.html)).toContain('compounds.saved');
    expect(saved.html).toContain('data-status="raided"');
    const stale = await staff.submit(second, compoundPath, {
      ...compoundFields,
      notes: 'A note typed while someone else saved.',
      seenUpdatedAt,
    });
    expect(stale.response.status).toBe(400);
    expect(messages(stale.html)).toContain('compounds.error.editedMeanwhile');
    expect(stale.html).toContain('A note typed while someone else saved.');
    expect((await staff.open(compoundPath)).html).toContain('data-status="raided"');
  });

  it('shows an agency only the compounds of its own cases, with only its own cases on them', async () => {
    const routed = await harness.services.db.selectFrom('report_agencies').select(['agency_id', 'report_id']).execute();
    const reportIds = await harness.services.db.selectFrom('reports').select(['id', 'reference']).execute();
    const agenciesOf = (reference: string) => {
      const id = reportIds.find((row) => row.reference === reference)!.id;
      return new Set(routed.filter((row) => row.report_id === id).map((row) => row.agency_id));
    };
    const thaiOnly = [...agenciesOf(references.thai!)].find((agency) => !agenciesOf(references.korean!).has(agency));
    expect(thaiOnly).toBeDefined();
    const agency = await harness.signedIn('agency', thaiOnly);
    const list = await agency.open('/agency/compounds');
    expect(list.response.status).toBe(200);
    expect(list.html).toContain('href="/agency/compounds"');
    expect(list.html).toMatch(/data-count="confirmed">1</);
    expect(list.html).not.toContain('data-count="proposed"');
    const agencyPath = compoundPath.replace('/staff/', '/agency/');
    const page = await agency.open(agencyPath);
    expect(page.response.status).toBe(200);
    expect(listed(page.html, 'confirmed')).toEqual([references.thai]);
    expect(page.html).not.toContain(references.korean);
    expect(page.html).not.toContain('hotline notes');
    expect(page.html).not.toContain('name="decision"');
    expect((await agency.open(`${agencyPath}/misp`)).response.status).toBe(200);
    // Its own case shows the compound it is confirmed on, without the hotline's reasons and decisions.
    const ownCase = await agency.open(`/agency/cases/${references.thai}`);
    expect(ownCase.html).toContain('id="compounds"');
    expect(ownCase.html).toContain(`href="${agencyPath}"`);
    expect(ownCase.html).toMatch(/data-state="confirmed"/);
    expect(ownCase.html).not.toContain('data-reason=');
    expect(ownCase.html).not.toContain('action="/staff/compounds');
    // The register and its decisions are the hotline's.
    expect((await agency.open('/staff/compounds')).response.status).toBe(403);

    const unrelated = await harness.signedIn('agency', 'no-such-agency');
    expect(messages((await unrelated.open('/agency/compounds')).html)).toContain('compounds.agencyEmpty');
    expect((await unrelated.open(agencyPath)).response.status).toBe(404);
    expect((await unrelated.open(`${agencyPath}/misp`)).response.status).toBe(404);
  });

  it('reads in Arabic right to left, with the names and counts isolated (one smoke test)', async () => {
    const arabic = await harness.signedIn('hotline', undefined, 'ar');
    const page = await arabic.open(compoundPath);
    expect(page.response.status).toBe(200);
    expect(page.html).toMatch(/<html lang="ar" dir="rtl"/);
    expect(page.html).toContain('<bdi>KK Park</bdi>');
    expect(page.html).toContain('مجمّع');
  });
});
