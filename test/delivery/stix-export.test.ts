import { readdirSync, readFileSync } from 'node:fs';
import { uuidV5 } from '../../intake/delivery/exports/uuid-v5.js';
import { domainToASCII } from 'node:url';
import { join, relative } from 'node:path';
import { Ajv2020, type AnySchema, type ValidateFunction } from 'ajv/dist/2020.js';
import ajvFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleRouter } from '../support/example-router.js';
import {
  casesToStixBundle,
  hotlineIdentityId,
  incidentCoreExtensionId,
  reportlineScoSchemas,
  reportlineScoTypes,
  stixMediaType,
  tlpMarkingIds,
  type StixBundle,
} from '../../intake/delivery/exports/cases-stix.js';
import { buildCaseDocument, type CaseDocument } from '../../intake/delivery/case-document.js';
import { listShareableCases } from '../../intake/delivery/agency-cases.js';
import { createApiToken } from '../../intake/store/api-tokens.js';
import { completeReport } from '../support/fixtures.js';
import { createTestPortal, type TestPortal } from '../support/test-portal.js';

// ajv-formats is CommonJS: its plugin is both module.exports and module.exports.default.
const addFormats = ajvFormats.default;

const fixtures = join(import.meta.dirname, '../fixtures/stix2.1-schemas');
const oasis = 'http://raw.githubusercontent.com/oasis-open/cti-stix2-json-schemas/stix2.1/schemas/';
const incidentCoreSchemaId =
  'https://raw.githubusercontent.com/oasis-open/cti-stix-common-objects/main/extension-definition-specifications/incident-ef7/extension-definition--ef765651-680c-498d-9894-99799f2fa126.json';

function jsonFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? jsonFiles(join(dir, entry.name))
      : entry.name.endsWith('.json')
        ? [join(dir, entry.name)]
        : [],
  );
}

/** Every `$ref` in a schema, resolved against the schema's `$id`. */
function refsOf(schema: unknown, base: string, found = new Set<string>()): Set<string> {
  if (Array.isArray(schema)) schema.forEach((item) => refsOf(item, base, found));
  else if (schema && typeof schema === 'object') {
    for (const [key, value] of Object.entries(schema)) {
      if (key === '$ref' && typeof value === 'string' && !value.startsWith('#'))
        found.add(new URL(value, base).href.replace(/#.*$/, ''));
      else refsOf(value, base, found);
    }
  }
  return found;
}

/**
 * The committed OASIS schemas, the Incident Core extension's schema and the
 * schemas of our own SCO types, in one draft 2020-12 validator.
 *
 * Two kinds of helper schema are added, and neither stands in for a type
 * this export emits: the schemas the bundle and observed-data schemas list
 * for object types the export never emits (attack-pattern, file, …) are
 * never-matching placeholders, so those schemas compile without committing thirty
 * unused files; and the Incident Core schema names the OASIS schemas by
 * their https address, which is aliased to the http `$id` the OASIS files carry.
 */
function stixValidator() {
  // The OASIS patterns use `\-`, which JavaScript accepts only outside Unicode mode.
  const ajv = new Ajv2020({ strict: false, allErrors: true, unicodeRegExp: false, validateSchema: false });
  addFormats(ajv);
  // draft 2020-12 `idn-hostname` (domain-name.value), which ajv-formats lacks.
  ajv.addFormat('idn-hostname', (value: string) => {
    const ascii = domainToASCII(value);
    return (
      ascii !== '' &&
      ascii.length <= 253 &&
      ascii.split('.').every((label) => /^(?!-)[a-z0-9-]{1,63}(?<!-)$/i.test(label))
    );
  });
  const loaded = new Map<string, unknown>();
  const files: string[] = [];
  for (const file of jsonFiles(fixtures)) {
    const schema = JSON.parse(readFileSync(file, 'utf8')) as { $id?: string };
    if (!schema.$id) continue;
    loaded.set(schema.$id, schema);
    files.push(relative(fixtures, file));
  }
  for (const schema of Object.values(reportlineScoSchemas)) loaded.set(schema.$id as string, schema);
  const aliases: Record<string, string> = {};
  for (const [id, schema] of loaded) {
    for (const ref of refsOf(schema, id)) {
      if (loaded.has(ref) || ref in aliases) continue;
      const http = ref.replace(/^https:/, 'http:');
      if (loaded.has(http)) aliases[ref] = http;
    }
  }
  const placeholders: string[] = [];
  for (const [id, schema] of loaded) {
    for (const ref of refsOf(schema, id))
      if (!loaded.has(ref) && !(ref in aliases) && !placeholders.includes(ref)) placeholders.push(ref);
  }
  for (const schema of loaded.values()) ajv.addSchema(schema as AnySchema);
  for (const [alias, target] of Object.entries(aliases)) ajv.addSchema({ $id: alias, $ref: target });
  for (const placeholder of placeholders) ajv.addSchema({ $id: placeholder, not: {} });
  const get = (id: string): ValidateFunction => {
    const validate = ajv.getSchema(id);
    if (!validate) throw new Error(`schema ${id} not loaded`);
    return validate;
  };
  return { get, files, placeholders, aliases };
}

/**
 * The complete report, with every kind of observable the export maps and the reporter's own number in the narrative.
 */
function richReport() {
  const report = completeReport();
  return {
    ...report,
    incident: {
      ...report.incident,
      narrative: `${report.incident!.narrative} 제 번호는 +82 10-2345-6789 입니다. 텔레그램 @goodjob_kh 와 LINE ID scamjob88 로 연락했습니다.`,
    },
    suspects: {
      ...report.suspects!,
      messengerHandles: ['@goodjob_kh', 'LINE: scamjob88', 'https://wa.me/85598765432'],
      bankAccounts: ['KB국민은행 123-456-789012', 'GB82 WEST 1234 5698 7654 32'],
      websites: ['https://global-job-asia.com/apply'],
    },
    losses: {
      ...report.losses!,
      payments: [
        ...report.losses!.payments!,
        {
          amount: 0.05,
          currency: 'BTC',
          method: 'crypto' as const,
          toAccount: 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq',
          transactionHash: 'tron:' + 'ab'.repeat(32),
        },
      ],
    },
  };
}

const personalData = [
  '김민지',
  'minji.kim',
  '+82 10-2345-6789',
  '+821023456789',
  '821023456789',
  '김준호',
  '동생이 텔레그램에서',
];

describe('the STIX 2.1 export', () => {
  let portal: TestPortal;
  let agencyToken: string;
  const references: string[] = [];
  let thaiReference: string;
  const validator = stixValidator();

  beforeAll(async () => {
    portal = await createTestPortal('sqlite', { router: exampleRouter });
    agencyToken = (await createApiToken(portal.database.db, { role: 'agency', agencyId: 'kr-police' })).token;
    for (let i = 0; i < 3; i += 1)
      references.push((await portal.reports.submitReport(richReport(), { actor: 'test' })).reference);
    thaiReference = (
      await portal.reports.submitReport(
        { ...completeReport(), victim: { nationality: 'TH', currentCountry: 'MM' }, incident: { category: 'romance' } },
        { actor: 'test' },
      )
    ).reference;
  });
  afterAll(async () => portal?.dispose());

  const get = (path: string, token: string) =>
    portal.app.request(path, { headers: { authorization: `Bearer ${token}` } });

  async function documents(): Promise<CaseDocument[]> {
    const sources = { reports: portal.reports, links: portal.intake.links, routing: portal.intake.routing };
    const entries = await listShareableCases(portal.database.db, { limit: 100 });
    const found: CaseDocument[] = [];
    for (const entry of entries) {
      const document = await buildCaseDocument(sources, entry.reportId, null);
      if (document) found.push(document);
    }
    return found;
  }

  async function exported(token: string): Promise<{ response: Response; bundle: StixBundle; text: string }> {
    const response = await get('/api/v1/exports/cases?format=stix', token);
    const text = await response.text();
    return { response, bundle: JSON.parse(text) as StixBundle, text };
  }

  it('is served as application/stix+json;version=2.1, as an attachment, to an administrator and to an agency', async () => {
    const { response, bundle } = await exported(portal.adminToken);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(stixMediaType);
    expect(stixMediaType).toBe('application/stix+json;version=2.1');
    expect(response.headers.get('content-disposition')).toMatch(
      /^attachment; filename="reportline-stix-all-\d{4}-\d{2}-\d{2}\.json"$/,
    );
    expect(bundle.type).toBe('bundle');

    const agency = await exported(agencyToken);
    expect(agency.response.status).toBe(200);
    // An agency's bundle has its own cases only: the Thai case is not in the Korean police's.
    const incidents = (bundle: StixBundle) =>
      bundle.objects.filter((object) => object.type === 'incident').map((object) => object.name as string);
    expect(incidents(bundle).some((name) => name.startsWith(thaiReference))).toBe(true);
    expect(incidents(agency.bundle).some((name) => name.startsWith(thaiReference))).toBe(false);
    expect(agency.text).not.toContain(thaiReference.slice(3));
    expect(incidents(agency.bundle)).toHaveLength(references.length);
  });

  it('validates, object by object, against the committed OASIS schemas and the schemas of its own SCO types', async () => {
    const { bundle } = await exported(portal.adminToken);
    const bundleValidate = validator.get(`${oasis}common/bundle.json`);
    // The OASIS bundle schema (at the committed commit) lists neither incident, location nor
    // extension-definition among its object types, and for any other SDO its custom-object branch
    // is ambiguous — both core.json and cyber-observable-core.json accept it — so it refuses every
    // bundle that holds one. The envelope is validated with those set aside; each of them is
    // validated below against its own OASIS schema.
    const unlisted = new Set(['incident', 'location', 'extension-definition']);
    for (const type of unlisted) {
      const one = bundle.objects.find((object) => object.type === type)!;
      expect(
        bundleValidate({ ...bundle, objects: [one] }),
        `the OASIS bundle schema now accepts ${type}: validate the whole bundle`,
      ).toBe(false);
    }
    const envelope = { ...bundle, objects: bundle.objects.filter((object) => !unlisted.has(object.type)) };
    expect(bundleValidate(envelope), JSON.stringify(bundleValidate.errors, null, 2)).toBe(true);

    const standard: Record<string, string> = {
      identity: 'sdos/identity.json',
      incident: 'sdos/incident.json',
      location: 'sdos/location.json',
      'observed-data': 'sdos/observed-data.json',
      relationship: 'sros/relationship.json',
      'marking-definition': 'common/marking-definition.json',
      'extension-definition': 'common/extension-definition.json',
      url: 'observables/url.json',
      'domain-name': 'observables/domain-name.json',
      'email-addr': 'observables/email-addr.json',
      'user-account': 'observables/user-account.json',
    };
    const custom = Object.fromEntries(
      Object.values(reportlineScoTypes).map((definition) => [
        definition.type,
        Object.keys(reportlineScoSchemas).find((url) => url.includes(`/${definition.type}/`))!,
      ]),
    );
    const schemasUsed = new Set<string>(['common/bundle.json']);
    const counts: Record<string, number> = {};
    for (const object of bundle.objects) {
      const schemas = standard[object.type]
        ? [`${oasis}${standard[object.type]}`]
        : custom[object.type]
          ? [custom[object.type]!]
          : [];
      if (object.type === 'incident') schemas.push(incidentCoreSchemaId);
      expect(schemas.length, `no schema for ${object.type}`).toBeGreaterThan(0);
      for (const id of schemas) {
        const validate = validator.get(id);
        expect(validate(object), `${object.id} against ${id}: ${JSON.stringify(validate.errors, null, 2)}`).toBe(true);
        schemasUsed.add(id.replace(oasis, ''));
      }
      counts[object.type] = (counts[object.type] ?? 0) + 1;
    }
    // Every kind of object the export makes is in this bundle, so each was validated.
    for (const type of [...Object.keys(standard), ...Object.keys(custom)])
      expect(counts[type], type).toBeGreaterThan(0);
    console.info(
      `STIX export: ${bundle.objects.length} objects validated against ${schemasUsed.size} object schemas (${validator.files.length} schema files committed; ` +
        `${validator.placeholders.length} unused types left as placeholders) — ${JSON.stringify(counts)}`,
    );
  });

  it('is checked by schemas that refuse what STIX refuses', async () => {
    const { bundle } = await exported(portal.adminToken);
    const find = (type: string) => structuredClone(bundle.objects.find((object) => object.type === type)!);
    const refuses = (schema: string, object: unknown) => expect(validator.get(schema)(object), schema).toBe(false);
    const { name: _name, ...nameless } = find('identity');
    refuses(`${oasis}sdos/identity.json`, nameless);
    refuses(`${oasis}sdos/incident.json`, { ...find('incident'), spec_version: '2.0' });
    refuses(`${oasis}sdos/incident.json`, { ...find('incident'), created: '2025-01-01T00:00:00Z' });
    const incident = find('incident');
    delete (incident.extensions as Record<string, Record<string, unknown>>)[incidentCoreExtensionId]!.determination;
    refuses(incidentCoreSchemaId, incident);
    refuses(`${oasis}observables/url.json`, { ...find('url'), value: 'not a url' });
    refuses(`${oasis}observables/domain-name.json`, { ...find('domain-name'), value: 'not a domain' });
    refuses(`${oasis}sros/relationship.json`, { ...find('relationship'), target_ref: tlpMarkingIds.clear });
    const phoneSchema = Object.keys(reportlineScoSchemas).find((url) => url.includes('/reportline-phone-number/'))!;
    refuses(phoneSchema, { ...find('reportline-phone-number'), owner: 'someone' });
    refuses(phoneSchema, { ...find('reportline-phone-number'), extensions: {} });
  });

  it('is well formed beyond what the schemas check: references resolve, ids are unique, modified is not before created', async () => {
    const { bundle } = await exported(portal.adminToken);
    const ids = bundle.objects.map((object) => object.id);
    expect(new Set(ids).size).toBe(ids.length);
    const known = new Set(ids);
    // Published OASIS objects name their authors, which are not in the bundle.
    const external = new Set([
      'identity--8ce3f695-d5a4-4dc8-9e93-a65af453a31a',
      'identity--b3bca3c2-1f3d-4b54-b44f-dac42c3a8f01',
    ]);
    for (const object of bundle.objects) {
      for (const [key, value] of Object.entries(object)) {
        const refs = key.endsWith('_ref') ? [value as string] : key.endsWith('_refs') ? (value as string[]) : [];
        for (const ref of refs) expect(known.has(ref) || external.has(ref), `${object.id} ${key} → ${ref}`).toBe(true);
      }
      if (typeof object.created === 'string' && typeof object.modified === 'string')
        expect(object.modified >= object.created).toBe(true);
      // Every custom SCO names the extension-definition that defines it, and that definition is in the bundle.
      if (object.type.startsWith('reportline-')) {
        const [extension] = Object.keys(object.extensions as object);
        expect(known.has(extension!)).toBe(true);
        const definition = bundle.objects.find((candidate) => candidate.id === extension)!;
        expect(definition.extension_types).toEqual(['new-sco']);
        expect(definition.schema).toMatch(
          /^https:\/\/schemas\.reportline\.example\/stix\/2\.1\/reportline-[a-z-]+\/v1\.json$/,
        );
      }
    }
  });

  it('gives the same ids and the same bytes when exported again, with SCO ids as STIX §2.9 derives them', async () => {
    const first = await documents();
    const again = await documents();
    expect(JSON.stringify(casesToStixBundle(first))).toBe(JSON.stringify(casesToStixBundle(again)));
    const bundle = casesToStixBundle(first);
    // A phone number's id is UUIDv5(STIX namespace, JCS({"value":…})), the same in every bundle of every producer using
    // this type.
    const phone = bundle.objects.find(
      (object) => object.type === 'reportline-phone-number' && object.value === '+85512345678',
    )!;
    expect(phone.id).toBe(
      `reportline-phone-number--${uuidV5('00abedb4-aa42-466c-9c01-fed23315a9b7', '{"value":"+85512345678"}')}`,
    );
    // The standard example of STIX 2.1 §2.9: the domain-name example.com.
    const ours = casesToStixBundle([]).objects;
    expect(ours.every((object) => object.type !== 'incident')).toBe(true);
    expect(`domain-name--${uuidV5('00abedb4-aa42-466c-9c01-fed23315a9b7', '{"value":"example.com"}')}`).toBe(
      'domain-name--bedb4899-d24b-5401-bc86-8f6b4cc18ec7',
    );
    // Timestamps are the case's.
    const [document] = first;
    const incident = bundle.objects.find(
      (object) => object.type === 'incident' && (object.name as string).startsWith(document!.reference),
    )!;
    expect(incident.created).toBe(new Date(document!.createdAt).toISOString());
    expect(incident.modified).toBe(new Date(document!.updatedAt).toISOString());
  });

  it('carries each case as an incident with the Incident Core extension, its countries, its observables and its linked cases', async () => {
    const { bundle } = await exported(portal.adminToken);
    const byId = new Map(bundle.objects.map((object) => [object.id, object]));
    const incident = bundle.objects.find(
      (object) => object.type === 'incident' && (object.name as string).startsWith(references[0]!),
    )!;
    expect(incident.created_by_ref).toBe(hotlineIdentityId);
    const core = (incident.extensions as Record<string, Record<string, unknown>>)[incidentCoreExtensionId]!;
    expect(core).toMatchObject({
      extension_type: 'property-extension',
      determination: 'suspected',
      investigation_status: 'new',
      criticality: 100,
    });
    expect(core.incident_types).toContain('human-trafficking');
    expect(core.impacted_entity_counts).toEqual({ individuals: 31 });

    const from = (type: string) =>
      bundle.objects
        .filter(
          (object) =>
            object.type === 'relationship' && object.source_ref === incident.id && object.relationship_type === type,
        )
        .map((object) => byId.get(object.target_ref as string));
    // The victim is in Cambodia and so is the compound: one location, said once.
    expect(from('located-at').map((location) => location?.country)).toEqual(['KH']);
    const observed = from('related-to').find((object) => object?.type === 'observed-data')!;
    const observables = (observed.object_refs as string[]).map((ref) => byId.get(ref)!);
    const summary = observables
      .map(
        (object) =>
          `${object.type}:${String(object.value ?? `${object.account_type as string}/${object.account_login as string}`)}`,
      )
      .sort();
    expect(summary).toEqual(
      expect.arrayContaining([
        'reportline-phone-number:+85512345678',
        'reportline-crypto-wallet:tron:TThj8QM1oAy46uZhb3wguApBpMZooSDtKk',
        'reportline-crypto-wallet:bitcoin:bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq',
        'reportline-crypto-transaction:9f2c4d1e8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e',
        `reportline-crypto-transaction:${'ab'.repeat(32)}`,
        'reportline-bank-account:kb-kookmin:123456789012',
        'reportline-bank-account:GB82WEST12345698765432',
        'email-addr:hr@global-job-asia.example',
        'url:https://global-job-asia.com/apply',
        'domain-name:global-job-asia.com',
        'user-account:telegram/goodjob_kh',
        'user-account:line/scamjob88',
        'user-account:whatsapp/+85598765432',
      ]),
    );
    expect(
      observables.find(
        (object) => object.type === 'reportline-bank-account' && object.account_number_scheme === 'iban',
      ),
    ).toMatchObject({ country: 'GB' });
    expect(
      observables.find(
        (object) => object.type === 'reportline-bank-account' && object.account_number_scheme === 'domestic',
      ),
    ).toMatchObject({
      institution: 'kb-kookmin',
      account_number: '123456789012',
    });

    // The three reports share the suspects' phone: each pair is related once.
    const incidentIds = new Set(
      bundle.objects.filter((object) => object.type === 'incident').map((object) => object.id),
    );
    const links = bundle.objects.filter(
      (object) =>
        object.type === 'relationship' &&
        incidentIds.has(object.source_ref as string) &&
        incidentIds.has(object.target_ref as string),
    );
    const pairs = links.map((link) => [link.source_ref, link.target_ref].sort().join(' '));
    expect(new Set(pairs).size).toBe(pairs.length);
    const rich = references.map(
      (reference) =>
        bundle.objects.find((object) => object.type === 'incident' && (object.name as string).startsWith(reference))!
          .id,
    );
    for (let i = 0; i < rich.length; i += 1) {
      for (let j = i + 1; j < rich.length; j += 1) expect(pairs).toContain([rich[i], rich[j]].sort().join(' '));
    }
  });

  it('marks every case object TLP:AMBER+STRICT by default with the fixed TLP 2.0 ids, and can mark them otherwise', async () => {
    const { bundle } = await exported(portal.adminToken);
    const markings = bundle.objects.filter((object) => object.type === 'marking-definition');
    expect(markings.map((marking) => [marking.id, marking.name]).sort()).toEqual(
      [
        ['marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003', 'TLP:AMBER+STRICT'],
        ['marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487', 'TLP:CLEAR'],
      ].sort(),
    );
    for (const object of bundle.objects) {
      if (
        ['incident', 'observed-data', 'relationship'].includes(object.type) ||
        ('spec_version' in object && !('created' in object))
      ) {
        expect(object.object_marking_refs, object.id).toEqual([tlpMarkingIds['amber+strict']]);
      }
    }
    const red = casesToStixBundle(await documents(), { tlp: 'red' });
    expect(
      red.objects
        .filter((object) => object.type === 'incident')
        .every((object) => (object.object_marking_refs as string[])[0] === tlpMarkingIds.red),
    ).toBe(true);
    const markingValidate = validator.get(`${oasis}common/marking-definition.json`);
    for (const marking of red.objects.filter((object) => object.type === 'marking-definition'))
      expect(markingValidate(marking)).toBe(true);
  });

  it("holds nothing of the reporter — name, contact, own phone — nor the victim's name or the narrative", async () => {
    const { text } = await exported(portal.adminToken);
    for (const value of personalData) expect(text, value).not.toContain(value);
    // The suspects' handles, found in the same narrative, are there.
    expect(text).toContain('goodjob_kh');
  });
});
