import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Services } from '../../app/open-services.js';
import type { CaseActor } from '../../intake/cases/case-actor.js';
import { systemClock } from '../../intake/clock.js';
import { createCompoundUseCases, type CompoundUseCases } from '../../intake/compounds/compound-use-cases.js';
import type { ReportInput } from '../../intake/report/report-schema.js';
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from '../support/test-databases.js';
import { openTestServices, recordingLogger } from '../support/test-services.js';
import { compoundForm } from './compound-test-inputs.js';

const staff: CaseActor = { auditId: 'user:staff-1', role: 'hotline' };

/** KK Park, by Myawaddy, as the register would hold it. */
const kkPark = { latitude: 16.7416, longitude: 98.5325 };
/** A point `north` metres north and `east` metres east of KK Park (1° of latitude ≈ 111.2 km). */
function near(north: number, east: number) {
  return {
    latitude: kkPark.latitude + north / 111_195,
    longitude: kkPark.longitude + east / (111_195 * Math.cos((kkPark.latitude * Math.PI) / 180)),
  };
}

function report(fields: {
  language?: ReportInput['language'];
  urgent?: boolean;
  nationality?: string;
  coordinates?: { latitude: number; longitude: number };
  narrative?: string;
  place?: string;
  compoundName?: string;
  wallets?: string[];
}) {
  return {
    channel: 'api',
    language: fields.language ?? 'en',
    consent: { shareWithLawEnforcement: true, contactBack: false },
    safety: { heldAgainstWill: fields.urgent ?? false },
    victim: {
      currentCountry: 'MM',
      nationality: fields.nationality ?? 'TH',
      ...(fields.place ? { currentPlace: fields.place } : {}),
      ...(fields.coordinates ? { coordinates: fields.coordinates } : {}),
    },
    incident: { category: 'fake_job_compound', narrative: fields.narrative ?? 'They took my passport.' },
    suspects: {
      wallets: fields.wallets ?? [],
      ...(fields.compoundName ? { compound: { name: fields.compoundName } } : {}),
    },
  };
}

interface MispTemplateFixture {
  name: string;
  uuid: string;
  version: number;
  'meta-category': string;
  attributes: Record<string, { 'misp-attribute': string; categories?: string[]; disable_correlation?: boolean }>;
  requiredOneOf?: string[];
}
const geolocationTemplate = JSON.parse(
  readFileSync(join(import.meta.dirname, '../fixtures/misp-objects/geolocation/definition.json'), 'utf8'),
) as MispTemplateFixture;

describe.each(testDatabaseKinds)('compounds proposed for cases (%s)', (kind) => {
  let database: TestDatabase;
  let services: Services;
  let compounds: CompoundUseCases;
  const references = new Map<string, string>();
  const ids = new Map<string, string>();
  let kkParkId = '';
  let shweKokkoId = '';

  async function submit(name: string, input: ReturnType<typeof report>) {
    const stored = await services.reports.submitReport(input, { actor: 'test' });
    references.set(name, stored.reference);
    ids.set(name, stored.reportId);
  }
  const proposed = async (compoundId: string) =>
    (await compounds.file(staff, compoundId))!.proposed.map((entry) => entry.reference).sort();
  const refs = (...names: string[]) => names.map((name) => references.get(name)!).sort();

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    services = await openTestServices(database, { logger: recordingLogger() });
    compounds = createCompoundUseCases({
      db: services.db,
      cipher: services.cipher,
      now: systemClock,
      links: services.links,
    });
    // Reports stored before the compound is in the register: adding it finds them.
    await submit('near-100m', report({ coordinates: near(100, 0), urgent: true, nationality: 'TH' }));
    await submit('near-300m', report({ coordinates: near(-200, 220), urgent: true, nationality: 'KR' }));
    await submit('near-480m', report({ coordinates: near(0, -480), nationality: 'ID' }));
    await submit('far-5km', report({ coordinates: near(5000, 0) }));
    await submit('parkway', report({ narrative: 'They drove me past the KK Parkway hotel, then to a farm.' }));
    kkParkId = (
      await compounds.add(
        staff,
        compoundForm({
          name: 'KK Park',
          aliases: 'เคเคปาร์ค\nKK园区',
          area: 'Myawaddy, Kayin State',
          latitude: String(kkPark.latitude),
          longitude: String(kkPark.longitude),
          landmarks: 'Moei river, across from Mae Sot',
        }),
      )
    ).id;
    await services.compoundMatcher.runOnce();

    // A compound in the register first: reports naming it in four scripts are found when they are stored.
    shweKokkoId = (
      await compounds.add(
        staff,
        compoundForm({ name: 'Shwe Kokko', aliases: 'ရွှေကုက္ကို\nชเวโก๊กโก่\n亚太新城\nYatai New City' }),
      )
    ).id;
    await submit(
      'latin',
      report({ narrative: 'I am held at shwe-kokko, building 7. Please help.', nationality: 'VN' }),
    );
    await submit('thai', report({ language: 'th', place: 'ฉันถูกขังอยู่ที่ชเวโก๊กโก่' }));
    await submit('burmese', report({ language: 'my', narrative: 'ကျွန်တော်ရွှေကုက္ကိုမှာ အချုပ်ခံထားရတယ်' }));
    await submit('chinese', report({ language: 'zh', compoundName: '亚太新城' }));
    await submit('inside-word', report({ narrative: 'We met at the ShweKokkoland casino bar in Bangkok.' }));
    await services.compoundMatcher.runOnce();
  });
  afterAll(async () => {
    await services?.close();
    await database?.dispose();
  });

  it('proposes the three reports within 500 m of a compound together, not the one 5 km away', async () => {
    expect(await proposed(kkParkId)).toEqual(refs('near-100m', 'near-300m', 'near-480m'));
    const file = await compounds.file(staff, kkParkId);
    expect(file!.proposed.every((entry) => entry.reason === 'location')).toBe(true);
    expect(file!.proposed.map((entry) => entry.detail.distanceMeters).sort((a, b) => a! - b!)).toEqual([100, 297, 480]);
  });

  it('proposes the reports naming a compound in Latin, Thai, Burmese and Chinese together, not a name inside a word', async () => {
    expect(await proposed(shweKokkoId)).toEqual(refs('latin', 'thai', 'burmese', 'chinese'));
    expect((await compounds.ofCase(staff, ids.get('inside-word')!)).length).toBe(0);
    expect((await compounds.ofCase(staff, ids.get('parkway')!)).length).toBe(0);
    const thai = await compounds.ofCase(staff, ids.get('thai')!);
    expect(thai).toMatchObject([{ compoundId: shweKokkoId, state: 'proposed', reason: 'name' }]);
    expect(thai[0]!.detail.name).toBe('ชเวโก๊กโก่');
  });

  it('proposes nothing twice: matching again adds no proposal and no audit event', async () => {
    const before = await services.db
      .selectFrom('audit_events')
      .select('seq')
      .where('action', '=', 'compound.proposed')
      .execute();
    expect(before).toHaveLength(7);
    // Staff touching a case makes it due for matching again, and the compound's edit makes every report due.
    await compounds.edit(
      staff,
      kkParkId,
      compoundForm({
        name: 'KK Park',
        aliases: 'เคเคปาร์ค\nKK园区\nKK Garden',
        area: 'Myawaddy, Kayin State',
        latitude: String(kkPark.latitude),
        longitude: String(kkPark.longitude),
        landmarks: 'Moei river, across from Mae Sot',
      }),
      (await compounds.file(staff, kkParkId))!.compound.updatedAt,
    );
    expect(await services.compoundMatcher.runOnce()).toBe(0);
    const after = await services.db
      .selectFrom('audit_events')
      .select('seq')
      .where('action', '=', 'compound.proposed')
      .execute();
    expect(after).toHaveLength(7);
  });

  it('after confirmation lists the cases on the compound page: held now, per month, and its MISP event holds the geolocation', async () => {
    for (const name of ['near-100m', 'near-300m', 'near-480m'])
      await compounds.decide(staff, kkParkId, references.get(name)!, 'confirmed');
    const file = (await compounds.file(staff, kkParkId))!;
    expect(file.confirmed.map((entry) => entry.reference).sort()).toEqual(refs('near-100m', 'near-300m', 'near-480m'));
    expect(file.heldNow.map((entry) => entry.reference).sort()).toEqual(refs('near-100m', 'near-300m'));
    expect(file.counts).toEqual({ proposed: 0, confirmed: 3, heldNow: 2 });
    expect(file.months).toEqual([{ month: new Date().toISOString().slice(0, 7), reports: 3 }]);
    const audit = await services.db
      .selectFrom('audit_events')
      .select(['action', 'actor', 'report_id'])
      .where('action', '=', 'compound.case_confirmed')
      .execute();
    expect(audit.map((event) => event.report_id).sort()).toEqual(
      ['near-100m', 'near-300m', 'near-480m'].map((name) => ids.get(name)).sort(),
    );
    expect(new Set(audit.map((event) => event.actor))).toEqual(new Set([staff.auditId]));

    const event = (await compounds.mispEvent(staff, kkParkId))!.Event;
    expect(event.published).toBe(false);
    expect(event.threat_level_id).toBe('1');
    const geolocations = event.Object.filter((object) => object.name === 'geolocation');
    expect(geolocations).toHaveLength(1);
    const geolocation = geolocations[0]!;
    const values = Object.fromEntries(
      geolocation.Attribute.map((attribute) => [attribute.object_relation, attribute.value]),
    );
    expect(values).toMatchObject({
      latitude: String(kkPark.latitude),
      longitude: String(kkPark.longitude),
      country: 'MM',
      region: 'Myawaddy, Kayin State',
    });
    expect(values.text).toContain('KK园区');
    // As the template defines it (the vendored copy of MISP/misp-objects).
    expect(geolocation.template_uuid).toBe(geolocationTemplate.uuid);
    expect(geolocation.template_version).toBe(geolocationTemplate.version);
    expect(geolocation['meta-category']).toBe(geolocationTemplate['meta-category']);
    for (const attribute of geolocation.Attribute) {
      const defined = geolocationTemplate.attributes[attribute.object_relation];
      expect(defined, attribute.object_relation).toBeDefined();
      expect(attribute.type).toBe(defined!['misp-attribute']);
      if (defined!.categories) expect(defined!.categories).toContain(attribute.category);
      if (defined!.disable_correlation) expect(attribute.disable_correlation).toBe(true);
      expect(attribute.to_ids).toBe(false);
    }
    expect(
      geolocationTemplate.requiredOneOf!.some((relation) =>
        geolocation.Attribute.some((attribute) => attribute.object_relation === relation),
      ),
    ).toBe(true);
  });

  it('proposes a report sharing a wallet with a confirmed case, and lists the wallet with its count', async () => {
    const wallet = 'TJYeasTPa6gpEEfYzV1YB6AdB6nYfeWVu8';
    await services.amendments.amend({
      reportId: ids.get('near-100m')!,
      changes: { suspects: { wallets: [wallet] } },
      actor: 'test',
      channel: 'api',
    });
    await submit('same-wallet', report({ narrative: 'I paid the broker to get out.', wallets: [wallet] }));
    await services.compoundMatcher.runOnce();
    const mine = await compounds.ofCase(staff, ids.get('same-wallet')!);
    expect(mine).toMatchObject([{ compoundId: kkParkId, state: 'proposed', reason: 'shared_indicator' }]);
    expect(mine[0]!.detail.linkedReference).toBe(references.get('near-100m'));
    await compounds.decide(staff, kkParkId, references.get('same-wallet')!, 'confirmed');
    const file = (await compounds.file(staff, kkParkId))!;
    expect(file.indicators.wallets).toEqual([{ kind: 'crypto_address', value: `tron:${wallet}`, cases: 2 }]);
    const event = (await compounds.mispEvent(staff, kkParkId))!.Event;
    expect(event.Object.some((object) => object.name === 'coin-address')).toBe(true);
  });

  it('proposes the reports already linked to a case when the case is confirmed', async () => {
    const wallet = 'TXLAQ63Xg1NAzckPwKHvzw7CSEmLMEqcdj';
    await services.amendments.amend({
      reportId: ids.get('latin')!,
      changes: { suspects: { wallets: [wallet] } },
      actor: 'test',
      channel: 'api',
    });
    await submit('latin-wallet', report({ narrative: 'A recruiter took my money.', wallets: [wallet] }));
    await services.compoundMatcher.runOnce();
    // Linked to a case only proposed, not confirmed: nothing yet.
    expect(await compounds.ofCase(staff, ids.get('latin-wallet')!)).toEqual([]);
    await compounds.decide(staff, shweKokkoId, references.get('latin')!, 'confirmed');
    await services.compoundMatcher.runOnce();
    expect(await compounds.ofCase(staff, ids.get('latin-wallet')!)).toMatchObject([
      { compoundId: shweKokkoId, state: 'proposed', reason: 'shared_indicator' },
    ]);
  });

  it('never proposes again what staff rejected', async () => {
    await compounds.decide(staff, shweKokkoId, references.get('chinese')!, 'rejected');
    await services.amendments.amend({
      reportId: ids.get('chinese')!,
      changes: { incident: { narrative: '我还在亚太新城。' } },
      actor: 'test',
      channel: 'api',
    });
    await compounds.edit(
      staff,
      shweKokkoId,
      compoundForm({ name: 'Shwe Kokko', aliases: 'ရွှေကုက္ကို\nชเวโก๊กโก่\n亚太新城\nYatai New City\nYatai' }),
      (await compounds.file(staff, shweKokkoId))!.compound.updatedAt,
    );
    expect(await services.compoundMatcher.runOnce()).toBe(0);
    const chinese = await compounds.ofCase(staff, ids.get('chinese')!);
    expect(chinese).toMatchObject([{ compoundId: shweKokkoId, state: 'rejected' }]);
    expect((await compounds.file(staff, shweKokkoId))!.rejected).toBe(1);
  });

  it('an agency sees only the compounds with its own cases, counted from its own cases alone', async () => {
    const routed = await services.db.selectFrom('report_agencies').select(['report_id', 'agency_id']).execute();
    const agenciesOf = (name: string) =>
      new Set(routed.filter((row) => row.report_id === ids.get(name)).map((row) => row.agency_id));
    // The Thai victim's consular help is routed the Thai case only (the Korean one has its own).
    const thaiOnly = [...agenciesOf('near-100m')].find(
      (agency) => !agenciesOf('near-300m').has(agency) && !agenciesOf('near-480m').has(agency),
    );
    expect(thaiOnly).toBeDefined();
    const agency: CaseActor = { auditId: 'user:agency-1', role: 'agency', agencyId: thaiOnly! };
    const list = await compounds.list(agency);
    expect(list.map((entry) => entry.compound.id)).toEqual([kkParkId]);
    const file = (await compounds.file(agency, kkParkId))!;
    const visible = file.confirmed.map((entry) => entry.reference);
    expect(visible).toContain(references.get('near-100m'));
    expect(visible).not.toContain(references.get('near-300m'));
    expect(visible).not.toContain(references.get('near-480m'));
    expect(file.proposed).toEqual([]);
    expect(file.compound.notes).toBeNull();
    expect(file.counts.confirmed).toBe(visible.length);
    expect(await compounds.file(agency, shweKokkoId)).toBeUndefined();
    const nobody: CaseActor = { auditId: 'user:agency-2', role: 'agency', agencyId: 'no-such-agency' };
    expect(await compounds.list(nobody)).toEqual([]);
    expect(await compounds.file(nobody, kkParkId)).toBeUndefined();
    // An agency keeps no register and decides nothing.
    await expect(compounds.decide(agency, kkParkId, references.get('near-100m')!, 'rejected')).rejects.toMatchObject({
      code: 'case.not_found',
    });
  });

  it('proposes at once, without waiting for its poll, when the running server stores a report', async () => {
    // As the server runs it: started with a poll far longer than the test, nudged by each stored report.
    services.compoundMatcher.start(10 * 60_000);
    // Its first round (at start) is over once every report is looked at: what comes next is the nudge's doing.
    const settled = Date.now() + 20_000;
    const unscanned = async () =>
      (await services.db.selectFrom('compound_scans_due').select('report_id').execute()).length;
    while ((await unscanned()) > 0 && Date.now() < settled) await new Promise((resolve) => setTimeout(resolve, 50));
    await new Promise((resolve) => setTimeout(resolve, 100));
    await submit('nudged', report({ language: 'th', narrative: 'ฉันอยู่ที่เคเคปาร์ค ช่วยด้วย' }));
    const deadline = Date.now() + 20_000;
    let found: Awaited<ReturnType<CompoundUseCases['ofCase']>> = [];
    while (found.length === 0 && Date.now() < deadline) {
      found = await compounds.ofCase(staff, ids.get('nudged')!);
      if (found.length === 0) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await services.compoundMatcher.stop();
    expect(found).toMatchObject([{ compoundId: kkParkId, state: 'proposed', reason: 'name' }]);
  });
});
