import { createHash } from 'node:crypto';
import { uuidV5 } from '../../intake/delivery/exports/uuid-v5.js';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CaseDocument } from '../../intake/delivery/case-document.js';
import {
  caseToMispFeedEvent,
  casesToMispEvent,
  ignoredIndicatorsToWarninglist,
  mispEventUuidForReport,
  mispFeedHashes,
  mispFeedManifest,
  type MispObject,
} from '../../intake/delivery/exports/indicators-misp.js';
import { mispTemplates } from '../../intake/delivery/exports/misp-templates.js';
import { chainabuseCategories, scamTaxonomy } from '../../intake/delivery/exports/scam-taxonomy.js';
import { indicatorKinds, type Indicator } from '../../intake/indicators/indicator.js';
import { incidentCategories } from '../../intake/report/report-schema.js';
import { parseReportInput } from '../../intake/report/validate-report.js';
import { completeReport } from '../support/fixtures.js';

// ---------------------------------------------------------------------------
// The templates, as MISP/misp-objects ships them (see test/fixtures/misp-objects/LICENSE.md)

interface TemplateAttribute {
  'misp-attribute': string;
  categories?: string[];
  disable_correlation?: boolean;
  multiple?: boolean;
  values_list?: string[];
}
interface Template {
  name: string;
  uuid: string;
  version: number;
  'meta-category': string;
  description: string;
  attributes: Record<string, TemplateAttribute>;
  required?: string[];
  requiredOneOf?: string[];
}

const fixtures = join(import.meta.dirname, '../fixtures/misp-objects');
const templates = new Map<string, Template>(
  readdirSync(fixtures, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => {
      const template = JSON.parse(readFileSync(join(fixtures, entry.name, 'definition.json'), 'utf8')) as Template;
      return [template.name, template];
    }),
);

/**
 * MISP's default category of each type a template leaves without categories,
 * read from MISP/PyMISP pymisp/data/describeTypes.json `sane_defaults`
 * (commit f72c2d2ff9309c13598001f93642c4bf6eb03532), independently of the exporter's table.
 */
const describeTypesDefaults: Record<string, string> = {
  'bank-account-nr': 'Financial fraud',
  btc: 'Financial fraud',
  datetime: 'Other',
  float: 'Other',
  iban: 'Financial fraud',
  'phone-number': 'Person',
  text: 'Other',
  url: 'Network activity',
};

/** Every way an object can differ from its template, as sentences; none for a valid object. */
function templateProblems(object: MispObject): string[] {
  const template = templates.get(object.name);
  if (!template) return [`no template named ${object.name}`];
  const problems: string[] = [];
  if (object.template_uuid !== template.uuid)
    problems.push(`${object.name}: template_uuid ${object.template_uuid} is not ${template.uuid}`);
  if (object.template_version !== template.version)
    problems.push(`${object.name}: template_version ${object.template_version} is not ${template.version}`);
  if (object['meta-category'] !== template['meta-category'])
    problems.push(`${object.name}: meta-category ${object['meta-category']} is not ${template['meta-category']}`);
  if (object.description !== template.description)
    problems.push(`${object.name}: description differs from the template's`);
  const counts = new Map<string, number>();
  for (const attribute of object.Attribute) {
    const definition = template.attributes[attribute.object_relation];
    if (!definition) {
      problems.push(`${object.name}: no ${attribute.object_relation} relation in the template`);
      continue;
    }
    counts.set(attribute.object_relation, (counts.get(attribute.object_relation) ?? 0) + 1);
    if (attribute.type !== definition['misp-attribute'])
      problems.push(
        `${object.name}.${attribute.object_relation}: type ${attribute.type} is not ${definition['misp-attribute']}`,
      );
    const allowed = definition.categories ?? [
      describeTypesDefaults[definition['misp-attribute']] ?? '(no default known)',
    ];
    if (!allowed.includes(attribute.category))
      problems.push(
        `${object.name}.${attribute.object_relation}: category ${attribute.category} is not one of ${allowed.join(', ')}`,
      );
    if (definition.disable_correlation === true && attribute.disable_correlation !== true)
      problems.push(`${object.name}.${attribute.object_relation}: correlation should be disabled`);
    if (definition.values_list && !definition.values_list.includes(attribute.value))
      problems.push(`${object.name}.${attribute.object_relation}: ${attribute.value} is not in the values list`);
    if (typeof attribute.value !== 'string' || attribute.value === '')
      problems.push(`${object.name}.${attribute.object_relation}: empty value`);
  }
  for (const [relation, count] of counts) {
    if (count > 1 && template.attributes[relation]?.multiple !== true)
      problems.push(`${object.name}.${relation}: ${count} values, the template allows one`);
  }
  for (const relation of template.required ?? []) {
    if (!counts.has(relation)) problems.push(`${object.name}: required ${relation} is missing`);
  }
  if (template.requiredOneOf && !template.requiredOneOf.some((relation) => counts.has(relation))) {
    problems.push(`${object.name}: none of ${template.requiredOneOf.join(', ')}`);
  }
  return problems;
}

// ---------------------------------------------------------------------------
// A case with one indicator of every kind and every other section the export reads

const indicator = (kind: Indicator['kind'], value: string, validity: Indicator['validity'] = 'valid'): Indicator => ({
  kind,
  value,
  validity,
  original: value,
  source: 'suspects.test',
});

const everyKind: Indicator[] = [
  indicator('phone', '+85512345678'),
  indicator('crypto_address', 'tron:TThj8QM1oAy46uZhb3wguApBpMZooSDtKk'),
  indicator('crypto_address', 'bitcoin:bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq'),
  indicator('crypto_address', 'evm:0x52908400098527886e0f7030069857d2e4169ee7', 'invalid'),
  indicator('crypto_tx', '9f2c4d1e8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e', 'plausible'),
  indicator('crypto_tx', 'tron:1f2c4d1e8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e', 'plausible'),
  indicator('url', 'https://global-job-asia.example/apply'),
  indicator('domain', 'global-job-asia.example'),
  indicator('email', 'hr@global-job-asia.example'),
  indicator('telegram', 'goodjob_kh', 'plausible'),
  indicator('line', 'kh.recruit', 'plausible'),
  indicator('whatsapp', '+85597765432'),
  indicator('iban', 'GB33BUKB20201555555555'),
  indicator('bank_account', 'kb-kookmin:123456789012', 'plausible'),
  indicator('bank_account', '9876543210', 'invalid'),
  indicator('amount', '3000000 KRW', 'plausible'),
  indicator('amount', '5000 USDT', 'plausible'),
];

function caseDocument(overrides: Partial<CaseDocument> = {}, report = completeReport()): CaseDocument {
  return {
    reference: 'RL-TEST-0001',
    createdAt: '2025-09-02T03:04:05.000Z',
    updatedAt: '2025-09-03T10:00:00.000Z',
    status: 'new',
    urgent: true,
    category: 'fake_job_compound',
    role: 'primary',
    routing: { urgent: true, withheld: false, copies: [] },
    report: parseReportInput(report),
    indicators: everyKind,
    linkedReports: [],
    linkedElsewhere: 0,
    amendments: [],
    ...overrides,
  };
}

const now = new Date('2025-09-04T00:00:00.000Z');
const eventUuid = mispEventUuidForReport('0b4d1f4e-2f6a-4a53-9c0e-6f3f1a2b3c4d');

describe('MISP objects', () => {
  it('reads twelve templates from misp-objects, and the exporter says the same of each', () => {
    expect([...templates.keys()].sort()).toEqual(Object.keys(mispTemplates).sort());
    for (const [name, ours] of Object.entries(mispTemplates)) {
      const template = templates.get(name)!;
      expect({ name: ours.name, uuid: ours.uuid, version: ours.version, metaCategory: ours.metaCategory }).toEqual({
        name: template.name,
        uuid: template.uuid,
        version: template.version,
        metaCategory: template['meta-category'],
      });
    }
    // The task's question: the template says phone numbers are `mobile`, not `misc`.
    expect(templates.get('phone-number')!['meta-category']).toBe('mobile');
  });

  it('writes every object of both exports exactly as its template defines it', () => {
    const imported: MispObject[] = casesToMispEvent([caseDocument()], { now }).Event.Object;
    const fed = caseToMispFeedEvent(caseDocument(), { eventUuid }).Event.Object;
    const objects = [...imported, ...fed];
    expect(objects.flatMap(templateProblems)).toEqual([]);
    // Every template is used: each indicator kind, the losses, the victim's and the compound's places, the suspects'
    // names.
    expect(new Set(objects.map((object) => object.name))).toEqual(new Set(templates.keys()));
    expect(objects.length).toBeGreaterThanOrEqual(2 * 22);
  });

  it('gives every indicator kind an object, amounts included, but a salary a job ad offered', () => {
    for (const kind of indicatorKinds.filter((kind) => kind !== 'salary')) {
      const sample = everyKind.find((item) => item.kind === kind)!;
      const document = caseDocument(
        { indicators: [sample] },
        { ...completeReport(), losses: { payments: [] }, suspects: { names: [] }, victim: {} },
      );
      const objects = caseToMispFeedEvent(document, { eventUuid }).Event.Object;
      expect(objects, kind).toHaveLength(1);
      expect(objects.flatMap(templateProblems), kind).toEqual([]);
    }
  });

  it('writes no object for a salary a job ad offered: it is neither money lost nor an identifier', () => {
    const salary: Indicator = {
      kind: 'salary',
      value: '1500 USD',
      original: 'salary 1,500 USD a month',
      validity: 'plausible',
      source: 'incident.narrative',
    };
    const document = caseDocument(
      { indicators: [salary] },
      { ...completeReport(), losses: { payments: [] }, suspects: { names: [] }, victim: {} },
    );
    expect(caseToMispFeedEvent(document, { eventUuid }).Event.Object).toEqual([]);
  });

  it('maps each kind to the template and relation an analyst would look for', () => {
    const objects = caseToMispFeedEvent(caseDocument(), { eventUuid }).Event.Object;
    const find = (name: string, relation: string, value: string) =>
      objects.find(
        (object) =>
          object.name === name &&
          object.Attribute.some((item) => item.object_relation === relation && item.value === value),
      );
    expect(find('phone-number', 'phone-number', '+85512345678')).toBeDefined();
    expect(find('coin-address', 'address-crypto', 'TThj8QM1oAy46uZhb3wguApBpMZooSDtKk')?.Attribute).toContainEqual(
      expect.objectContaining({ object_relation: 'symbol', value: 'TRX' }),
    );
    expect(find('coin-address', 'address', 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq')?.Attribute).toContainEqual(
      expect.objectContaining({ object_relation: 'symbol', value: 'BTC' }),
    );
    expect(find('coin-address', 'address-crypto', '0x52908400098527886e0f7030069857d2e4169ee7')?.comment).toMatch(
      /possibly mistyped/,
    );
    expect(
      find(
        'cryptocurrency-transaction',
        'transaction-number',
        '1f2c4d1e8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e',
      )?.Attribute,
    ).toContainEqual(expect.objectContaining({ object_relation: 'symbol', value: 'TRX' }));
    expect(find('url', 'url', 'https://global-job-asia.example/apply')).toBeDefined();
    expect(find('domain-ip', 'domain', 'global-job-asia.example')).toBeDefined();
    expect(find('email', 'from', 'hr@global-job-asia.example')).toBeDefined();
    expect(find('telegram-account', 'username', 'goodjob_kh')).toBeDefined();
    expect(find('instant-message', 'from-user', 'kh.recruit')?.Attribute).toContainEqual(
      expect.objectContaining({ object_relation: 'app-used', value: 'LINE' }),
    );
    expect(find('instant-message', 'from-number', '+85597765432')?.Attribute).toContainEqual(
      expect.objectContaining({ object_relation: 'app-used', value: 'WhatsApp' }),
    );
    expect(find('bank-account', 'iban', 'GB33BUKB20201555555555')).toBeDefined();
    expect(find('bank-account', 'account', '123456789012')?.Attribute).toContainEqual(
      expect.objectContaining({ object_relation: 'institution-name', value: 'kb-kookmin' }),
    );
    expect(find('bank-account', 'account', '9876543210')).toBeDefined();
    // The payments are losses; an amount of the text that is not one of them is kept too, once.
    const losses = objects.filter((object) => object.name === 'monetary-impact');
    expect(
      losses.map((object) => object.Attribute.find((item) => item.object_relation === 'min_amount')?.value).sort(),
    ).toEqual(['1500', '3000000', '5000']);
    expect(find('monetary-impact', 'start_time', '2025-08-20T00:00:00Z')).toBeDefined();
    expect(find('geolocation', 'latitude', '10.6278')?.Attribute).toContainEqual(
      expect.objectContaining({ object_relation: 'longitude', value: '103.5225' }),
    );
    expect(find('geolocation', 'text', 'Scam compound: Golden Sun Compound')).toBeDefined();
    expect(find('person', 'alias', 'Mr. Park')?.Attribute).toContainEqual(
      expect.objectContaining({ object_relation: 'role', value: 'Suspect' }),
    );
    // Nothing is flagged for detection before an analyst has checked it.
    expect(objects.flatMap((object) => object.Attribute).every((item) => item.to_ids === false)).toBe(true);
  });

  it('never writes the reporter, nor the victim’s name, and nothing personal without consent', () => {
    const body = JSON.stringify(caseToMispFeedEvent(caseDocument(), { eventUuid }));
    for (const personal of [
      '김민지',
      'minji.kim@example.kr',
      '2345-6789',
      '+821023456789',
      '김준호',
      '시아누크빌 근처 단지',
    ])
      expect(body).not.toContain(personal);
    const withoutConsent = caseDocument({}, { ...completeReport(), consent: { shareWithLawEnforcement: false } });
    const names = caseToMispFeedEvent(withoutConsent, { eventUuid }).Event.Object.map((object) => object.name);
    expect(names).not.toContain('geolocation');
    expect(names).not.toContain('person');
    expect(names).not.toContain('monetary-impact');
  });

  it('writes an ignored indicator without correlation, and lists it in the warninglist as MISP holds its value', () => {
    const ignored = [
      { kind: 'phone' as const, value: '+85512345678' },
      { kind: 'bank_account' as const, value: 'kb-kookmin:123456789012' },
      { kind: 'crypto_address' as const, value: 'tron:TThj8QM1oAy46uZhb3wguApBpMZooSDtKk' },
      { kind: 'domain' as const, value: 'binance.com' },
      { kind: 'amount' as const, value: '100 USD' },
    ];
    const objects = caseToMispFeedEvent(caseDocument(), { eventUuid, ignored }).Event.Object;
    const phone = objects.find((object) => object.name === 'phone-number')!;
    expect(phone.Attribute[0]).toMatchObject({ value: '+85512345678', disable_correlation: true });
    expect(objects.find((object) => object.name === 'email')!.Attribute[0]!.disable_correlation).toBeUndefined();

    const list = ignoredIndicatorsToWarninglist(ignored, { now });
    // The keys and types of misp-warninglists' schema.json.
    expect(Object.keys(list).sort()).toEqual(['description', 'list', 'matching_attributes', 'name', 'type', 'version']);
    expect(list).toMatchObject({ type: 'string', version: 20250904 });
    expect(typeof list.name).toBe('string');
    expect(list.list).toEqual(['+85512345678', '123456789012', 'TThj8QM1oAy46uZhb3wguApBpMZooSDtKk', 'binance.com']);
    expect(list.matching_attributes).toEqual(['bank-account-nr', 'domain', 'phone-number', 'text']);
    expect(new Set(list.list).size).toBe(list.list.length);
  });
});

describe('MISP event tags', () => {
  it('marks an event TLP:AMBER+STRICT and PAP:AMBER unless told otherwise, and names its category', () => {
    const tags = caseToMispFeedEvent(caseDocument({ category: 'voice_phishing' }), { eventUuid }).Event.Tag.map(
      (tag) => tag.name,
    );
    expect(tags).toEqual([
      'tlp:amber+strict',
      'PAP:AMBER',
      'circl:incident-classification="phishing"',
      'misp-galaxy:financial-fraud="Vishing"',
      'misp-galaxy:mitre-fraud-framework="Impersonate Official - F1032"',
    ]);
    const green = caseToMispFeedEvent(caseDocument(), { eventUuid, tlp: 'tlp:green' }).Event.Tag.map((tag) => tag.name);
    expect(green[0]).toBe('tlp:green');
    expect(green).not.toContain('tlp:amber+strict');
    expect(casesToMispEvent([caseDocument()], { now }).Event.Tag[0]).toEqual({
      name: 'tlp:amber+strict',
      colour: '#FFC000',
    });
  });

  it('has one row for every Reportline category, in vocabularies that exist', () => {
    expect(Object.keys(scamTaxonomy).sort()).toEqual([...incidentCategories].sort());
    for (const row of Object.values(scamTaxonomy)) {
      expect(chainabuseCategories).toContain(row.chainabuse);
      expect(['phishing', 'scam', 'sextortion']).toContain(row.circlIncidentClassification);
      expect(row.attck4fraud.length).toBeGreaterThan(0);
      for (const cluster of [...row.attck4fraud, ...row.mitreFraudFramework])
        expect(cluster.uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    }
    // A report without a category is filed as `other`.
    expect(
      caseToMispFeedEvent(caseDocument({ category: null }), { eventUuid }).Event.Tag.map((tag) => tag.name),
    ).toContain('misp-galaxy:financial-fraud="Scam"');
  });
});

describe('the MISP feed format', () => {
  it('derives RFC 4122 version 5 UUIDs, one event uuid per report', () => {
    // RFC 4122 appendix B / Python's uuid.uuid5(NAMESPACE_DNS, 'www.example.com').
    expect(uuidV5('6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'www.example.com')).toBe(
      '2ed6657d-e927-568b-95e1-2665a8aea6a2',
    );
    expect(mispEventUuidForReport('a')).toBe(mispEventUuidForReport('a'));
    expect(mispEventUuidForReport('a')).not.toBe(mispEventUuidForReport('b'));
    expect(mispEventUuidForReport('a')).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });

  it('writes an event file with the keys and types of PyMISP’s feed output, identical on every pull', () => {
    const event = caseToMispFeedEvent(caseDocument(), { eventUuid });
    expect(Object.keys(event)).toEqual(['Event']);
    const body = event.Event;
    // MISPEvent._fields_for_feed, and the Orgc, Tag, Attribute and Object it adds.
    expect(Object.keys(body).sort()).toEqual([
      'Attribute',
      'Object',
      'Orgc',
      'Tag',
      'analysis',
      'date',
      'info',
      'published',
      'threat_level_id',
      'timestamp',
      'uuid',
    ]);
    expect(body).toMatchObject({
      uuid: eventUuid,
      date: '2025-09-02',
      threat_level_id: 1,
      analysis: 0,
      published: false,
      timestamp: Date.parse('2025-09-03T10:00:00Z') / 1000,
    });
    expect(body.info).toBe('Reportline case RL-TEST-0001: Fake job offer or recruitment into a scam compound');
    expect(Object.keys(body.Orgc).sort()).toEqual(['name', 'uuid']);
    for (const tag of body.Tag) expect(Object.keys(tag).every((key) => ['name', 'colour'].includes(key))).toBe(true);
    const objectFields = [
      'name',
      'meta-category',
      'description',
      'template_uuid',
      'template_version',
      'uuid',
      'timestamp',
      'distribution',
      'sharing_group_id',
      'comment',
      'first_seen',
      'last_seen',
      'deleted',
      'Attribute',
    ];
    const attributeFields = [
      'uuid',
      'value',
      'category',
      'type',
      'comment',
      'data',
      'deleted',
      'timestamp',
      'to_ids',
      'disable_correlation',
      'first_seen',
      'last_seen',
      'object_relation',
    ];
    const uuids = new Set<string>();
    for (const object of body.Object) {
      expect(Object.keys(object).filter((key) => !objectFields.includes(key))).toEqual([]);
      expect(typeof object.template_version).toBe('number');
      expect(object.timestamp).toBe(body.timestamp);
      uuids.add(object.uuid);
      for (const attribute of object.Attribute) {
        expect(Object.keys(attribute).filter((key) => !attributeFields.includes(key))).toEqual([]);
        expect(typeof attribute.value).toBe('string');
        expect(typeof attribute.to_ids).toBe('boolean');
        uuids.add(attribute.uuid);
      }
    }
    expect(uuids.size).toBe(body.Object.length + body.Object.reduce((sum, object) => sum + object.Attribute.length, 0));
    expect(caseToMispFeedEvent(caseDocument(), { eventUuid })).toEqual(event);
  });

  it('writes a manifest keyed by event uuid and hashes.csv as MISP’s feed generators do', () => {
    const events = [
      caseToMispFeedEvent(caseDocument(), { eventUuid }),
      caseToMispFeedEvent(caseDocument({ reference: 'RL-TEST-0002', urgent: false, status: 'closed' }), {
        eventUuid: mispEventUuidForReport('other'),
      }),
    ];
    const manifest = mispFeedManifest(events);
    expect(Object.keys(manifest)).toEqual([eventUuid, mispEventUuidForReport('other')]);
    for (const entry of Object.values(manifest)) {
      expect(Object.keys(entry).sort()).toEqual([
        'Orgc',
        'Tag',
        'analysis',
        'date',
        'info',
        'threat_level_id',
        'timestamp',
      ]);
      expect(entry.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect([entry.analysis, entry.threat_level_id, entry.timestamp].every(Number.isInteger)).toBe(true);
      expect(entry.Tag[0]!.name).toBe('tlp:amber+strict');
    }
    expect(manifest[mispEventUuidForReport('other')]).toMatchObject({ analysis: 2, threat_level_id: 2 });

    const hashes = mispFeedHashes(events);
    expect(hashes.endsWith('\n')).toBe(true);
    const lines = hashes.trimEnd().split('\n');
    const values = events.flatMap((event) =>
      event.Event.Object.flatMap((object) => object.Attribute.map((attribute) => [attribute.value, event.Event.uuid])),
    );
    expect(lines).toEqual(values.map(([value, uuid]) => `${createHash('md5').update(value!).digest('hex')},${uuid}`));
    for (const line of lines) expect(line).toMatch(/^[0-9a-f]{32},[0-9a-f-]{36}$/);
  });

  it('keeps the one-event import of several cases, one object per shared indicator', () => {
    const second = caseDocument({ reference: 'RL-TEST-0002', indicators: [indicator('phone', '+85512345678')] });
    const event = casesToMispEvent([caseDocument(), second], { now }).Event;
    const phones = event.Object.filter((object) => object.name === 'phone-number');
    expect(phones).toHaveLength(1);
    expect(phones[0]!.comment).toBe('Reported in RL-TEST-0001, RL-TEST-0002');
    expect(event.Attribute).toEqual([]);
    expect(event).toMatchObject({ threat_level_id: '2', analysis: '1', distribution: '0', published: false });
    expect(casesToMispEvent([second, caseDocument()], { now }).Event.uuid).toBe(event.uuid);
  });
});
