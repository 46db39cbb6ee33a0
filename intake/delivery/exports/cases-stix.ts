import { uuidV5 } from './uuid-v5.js';
import { traffickingFindingOf } from '../../report/trafficking-screening.js';
import type { Indicator } from '../../indicators/indicator.js';
import { normalizeIndicator } from '../../indicators/normalize-indicator.js';
import type { CaseDocument } from '../case-document.js';

/**
 * Cases as a STIX 2.1 bundle (OASIS STIX Version 2.1), the format a police
 * CERT's threat-intelligence platform (OpenCTI, MISP, a TAXII server) reads
 * without a converter.
 *
 * What is in it:
 * - one `identity`: the hotline, the producer of everything else;
 * - per case an `incident` carrying the Incident Core extension published by
 *   the OASIS CTI TC (cti-stix-common-objects, extension-definition--ef765651…,
 *   version 2.0.0), `location`s for the country the victim is in and the
 *   country of the compound, an `observed-data` that refers to the case's
 *   cyber-observables, and `relationship`s to the incidents of linked reports;
 * - the cyber-observables: `url`, `domain-name`, `email-addr`, `user-account`
 *   (Telegram, LINE and WhatsApp accounts) and three new SCO types of our own
 *   for what STIX has no object for — phone numbers, bank accounts and crypto
 *   wallets/transactions — each defined by an `extension-definition`;
 * - the TLP 2.0 `marking-definition`s in use (default TLP:AMBER+STRICT),
 *   applied with `object_marking_refs`.
 *
 * Why new SCO types rather than a property-extension: STIX 2.1 §7.3 keeps
 * property-extensions for adding properties to an existing object type, and
 * no existing SCO *is* a phone number, a bank account or a wallet (a phone
 * number is not a `user-account`; extending `user-account` with a phone
 * property would say "this account has a phone", not "this number was used").
 * Each is an observable with an identity of its own, found in many reports,
 * so it is a new SCO with a deterministic id like the standard ones.
 *
 * Ids are UUIDv5, so a re-export gives the same ids: SCOs as STIX 2.1 §2.9
 * says (the STIX namespace over the JCS-canonical id-contributing
 * properties), everything else in a Reportline namespace over the report
 * reference or a fixed name. `created`/`modified` come from the case.
 *
 * Nothing of the reporter (name, contact, own phone) is exported, and of the
 * free text only what the hotline derived from it: the narrative stays in
 * the case, which the agency reads through the API.
 */

export const stixMediaType = 'application/stix+json;version=2.1';

// ---------------------------------------------------------------------------
// Deterministic ids

/** STIX 2.1 §2.9: the namespace for deterministic SCO identifiers. */
const stixScoNamespace = '00abedb4-aa42-466c-9c01-fed23315a9b7';
/** RFC 9562 URL namespace. */
const urlNamespace = '6ba7b811-9dad-11d1-80b4-00c04fd430c8';

/**
 * The namespace under which Reportline names its own objects, and under
 * which it publishes the JSON schemas of its SCO extensions. `.example` is
 * reserved (RFC 2606): an operator that publishes the schemas serves
 * {@link reportlineScoSchemas} at these URLs; consumers need not fetch them,
 * the extension-definition's `schema` is an identifier as much as a link.
 */
export const reportlineStixNamespaceUrl = 'https://schemas.reportline.example/stix/2.1/';
const reportlineNamespace = uuidV5(urlNamespace, reportlineStixNamespaceUrl);

const sdoId = (type: string, name: string) => `${type}--${uuidV5(reportlineNamespace, `${type}:${name}`)}`;

/** RFC 8785 (JCS) for the flat string objects SCO ids are made of. */
function canonicalJson(properties: Record<string, string>): string {
  const keys = Object.keys(properties).sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${JSON.stringify(properties[key])}`).join(',')}}`;
}

const scoId = (type: string, contributing: Record<string, string>) =>
  `${type}--${uuidV5(stixScoNamespace, canonicalJson(contributing))}`;

// ---------------------------------------------------------------------------
// Markings: TLP 2.0 as the OASIS CTI TC publishes it (cti-stix-common-objects,
// extension-definition-specifications/tlp-2.0). STIX 2.1 §7.2.1.4 itself
// fixes only the TLP 1.0 ids; TLP 2.0 is this extension, with these fixed ids.

export const tlpLevels = ['clear', 'green', 'amber', 'amber+strict', 'red'] as const;
export type TlpLevel = (typeof tlpLevels)[number];

export const tlp2ExtensionId = 'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d';

export const tlpMarkingIds: Record<TlpLevel, string> = {
  clear: 'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487',
  green: 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb',
  amber: 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421',
  'amber+strict': 'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003',
  red: 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1',
};

function tlpMarking(level: TlpLevel) {
  return {
    type: 'marking-definition',
    spec_version: '2.1',
    id: tlpMarkingIds[level],
    created: '2022-10-01T00:00:00.000Z',
    name: `TLP:${level.toUpperCase()}`,
    extensions: { [tlp2ExtensionId]: { extension_type: 'property-extension', tlp_2_0: level } },
  };
}

/** The TLP 2.0 extension-definition as published in cti-stix-common-objects (objects/extension-definition/). */
const tlp2ExtensionDefinition = {
  id: tlp2ExtensionId,
  type: 'extension-definition',
  spec_version: '2.1',
  name: 'TLP 2.0',
  description: 'This defines TLP 2.0 as a STIX extension',
  created: '2022-10-01T00:00:00.000Z',
  modified: '2022-10-01T00:00:00.000Z',
  created_by_ref: 'identity--b3bca3c2-1f3d-4b54-b44f-dac42c3a8f01',
  schema:
    'https://github.com/oasis-open/cti-stix-common-objects/tree/master/extension-definition-specifications/tlp-2.0',
  version: '1.0.0',
  extension_types: ['property-extension'],
};

// ---------------------------------------------------------------------------
// The Incident Core extension, as published in cti-stix-common-objects
// (objects/extension-definition/extension-definition--ef765651-….json, v2.0.0).

export const incidentCoreExtensionId = 'extension-definition--ef765651-680c-498d-9894-99799f2fa126';

const incidentCoreExtensionDefinition = {
  id: incidentCoreExtensionId,
  type: 'extension-definition',
  spec_version: '2.1',
  name: 'Incident Core Extension',
  description:
    "A core extension of the Incident object to allow core details of the Incident to be shared while tracking major details tied to the incident's timeline.  Multiple Incidents can be tied together via relationships if a higher degree of fidelity is needed across phases.",
  created: '2020-10-19T20:51:00.000Z',
  modified: '2023-07-11T00:56:00.000Z',
  created_by_ref: 'identity--8ce3f695-d5a4-4dc8-9e93-a65af453a31a',
  schema:
    'https://github.com/oasis-open/cti-stix-common-objects/tree/main/extension-definition-specifications/incident-ef7',
  version: '2.0.0',
  extension_types: ['property-extension'],
};

// ---------------------------------------------------------------------------
// The producer and our own SCO types

/** When the hotline identity and the extension definitions were first written; they change only with a new version. */
const definitionsCreated = '2025-01-01T00:00:00.000Z';

export const hotlineIdentityId = sdoId('identity', 'hotline');

function hotlineIdentity(name: string) {
  return {
    type: 'identity',
    spec_version: '2.1',
    id: hotlineIdentityId,
    created: definitionsCreated,
    modified: definitionsCreated,
    name,
    description:
      'A multilingual reporting line for victims of scam compounds, crypto and romance scams and human trafficking. Producer of this bundle.',
    identity_class: 'organization',
    object_marking_refs: [tlpMarkingIds.clear],
  };
}

interface ScoTypeDefinition {
  type: string;
  name: string;
  description: string;
  properties: Record<string, unknown>;
  required: string[];
  idContributing: string[];
}

const validity = {
  enum: ['valid', 'plausible', 'invalid'],
  description:
    "Reportline's check: a checksum or numbering plan passed (valid), the shape fits (plausible), or a check failed (invalid).",
};

/** The SCO types STIX 2.1 lacks, each defined by an extension-definition of `extension_types: ["new-sco"]`. */
export const reportlineScoTypes = {
  phone: {
    type: 'reportline-phone-number',
    name: 'Reportline phone number',
    description:
      'A telephone number used by the people behind a scam or trafficking case, in E.164 when it could be read as one.',
    properties: {
      value: {
        type: 'string',
        minLength: 1,
        description: 'The number in E.164 (+85512345678), or as written when it fits no numbering plan.',
      },
      validity,
    },
    required: ['value'],
    idContributing: ['value'],
  },
  bankAccount: {
    type: 'reportline-bank-account',
    name: 'Reportline bank account',
    description:
      'A bank account money was sent to or demanded for: an IBAN or a bank-qualified domestic account number.',
    properties: {
      value: {
        type: 'string',
        minLength: 1,
        description: 'The IBAN in electronic format, or "<bank>:<digits>" for a domestic account.',
      },
      account_number: {
        type: 'string',
        minLength: 1,
        description: 'The IBAN, or the domestic account number without separators.',
      },
      account_number_scheme: { enum: ['iban', 'domestic'] },
      institution: {
        type: 'string',
        minLength: 1,
        description: "Reportline's key for the bank (e.g. kb-kookmin), when known.",
      },
      country: { type: 'string', pattern: '^[A-Z]{2}$', description: 'ISO 3166-1 alpha-2 of an IBAN.' },
      validity,
    },
    required: ['value', 'account_number', 'account_number_scheme'],
    idContributing: ['value'],
  },
  wallet: {
    type: 'reportline-crypto-wallet',
    name: 'Reportline cryptocurrency wallet',
    description: 'A cryptocurrency address money was sent to or demanded for.',
    properties: {
      value: {
        type: 'string',
        minLength: 1,
        description:
          'network:address as Reportline writes it (tron:T…, ethereum:0x… lower case), or the address alone.',
      },
      address: { type: 'string', minLength: 1 },
      network: {
        type: 'string',
        pattern: '^[a-z0-9-]+$',
        description: 'bitcoin, ethereum, tron, evm (an EVM address whose chain is not known), …',
      },
      validity,
    },
    required: ['value', 'address'],
    idContributing: ['value'],
  },
  transaction: {
    type: 'reportline-crypto-transaction',
    name: 'Reportline cryptocurrency transaction',
    description: 'A cryptocurrency transaction a victim reported making.',
    properties: {
      value: {
        type: 'string',
        minLength: 1,
        description: 'The hash, lower-case hex without 0x, optionally network-qualified (tron:…).',
      },
      hash: { type: 'string', minLength: 1 },
      network: { type: 'string', pattern: '^[a-z0-9-]+$' },
      validity,
    },
    required: ['value', 'hash'],
    idContributing: ['value'],
  },
} satisfies Record<string, ScoTypeDefinition>;

type ScoKey = keyof typeof reportlineScoTypes;

const extensionDefinitionId = (definition: ScoTypeDefinition) => sdoId('extension-definition', definition.type);
const schemaUrl = (definition: ScoTypeDefinition) => `${reportlineStixNamespaceUrl}${definition.type}/v1.json`;

function extensionDefinition(definition: ScoTypeDefinition) {
  return {
    type: 'extension-definition',
    spec_version: '2.1',
    id: extensionDefinitionId(definition),
    created: definitionsCreated,
    modified: definitionsCreated,
    created_by_ref: hotlineIdentityId,
    name: definition.name,
    description: `${definition.description} A new STIX Cyber-observable Object type, \`${definition.type}\`; its id is a UUIDv5 over the id-contributing properties (${definition.idContributing.join(', ')}) as for the standard SCOs (STIX 2.1 §2.9). The JSON schema at the schema URL is normative.`,
    schema: schemaUrl(definition),
    version: '1.0.0',
    extension_types: ['new-sco'],
    object_marking_refs: [tlpMarkingIds.clear],
  };
}

const cyberObservableCoreSchema =
  'http://raw.githubusercontent.com/oasis-open/cti-stix2-json-schemas/stix2.1/schemas/common/cyber-observable-core.json';

/**
 * The JSON schemas (draft 2020-12) the extension definitions point to, by
 * URL: the OASIS cyber-observable core plus the type's own properties, and
 * nothing else.
 */
export const reportlineScoSchemas: Record<string, Record<string, unknown>> = Object.fromEntries(
  Object.values(reportlineScoTypes).map((definition: ScoTypeDefinition) => [
    schemaUrl(definition),
    {
      $id: schemaUrl(definition),
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      title: definition.type,
      description: definition.description,
      $comment: `Defined by ${extensionDefinitionId(definition)}. Id-contributing properties: ${definition.idContributing.join(', ')}.`,
      type: 'object',
      allOf: [{ $ref: cyberObservableCoreSchema }],
      properties: {
        type: { const: definition.type },
        spec_version: { const: '2.1' },
        id: { type: 'string', pattern: `^${definition.type}--` },
        object_marking_refs: true,
        granular_markings: true,
        defanged: true,
        extensions: {
          type: 'object',
          required: [extensionDefinitionId(definition)],
          properties: {
            [extensionDefinitionId(definition)]: {
              type: 'object',
              properties: { extension_type: { const: 'new-sco' } },
              required: ['extension_type'],
              additionalProperties: false,
            },
          },
          additionalProperties: false,
        },
        ...definition.properties,
      },
      required: ['type', 'spec_version', 'id', 'extensions', ...definition.required],
      additionalProperties: false,
    },
  ]),
);

// ---------------------------------------------------------------------------
// Observables from indicators

type Sco = Record<string, unknown> & { type: string; id: string };

function customSco(key: ScoKey, properties: Record<string, string>, marking: string): Sco {
  const definition: ScoTypeDefinition = reportlineScoTypes[key];
  const contributing = Object.fromEntries(definition.idContributing.map((name) => [name, properties[name]!]));
  return {
    type: definition.type,
    spec_version: '2.1',
    id: scoId(definition.type, contributing),
    ...properties,
    object_marking_refs: [marking],
    extensions: { [extensionDefinitionId(definition)]: { extension_type: 'new-sco' } },
  };
}

function standardSco(type: string, properties: Record<string, string>, contributing: string[], marking: string): Sco {
  return {
    type,
    spec_version: '2.1',
    id: scoId(
      type,
      Object.fromEntries(
        contributing.filter((name) => properties[name] !== undefined).map((name) => [name, properties[name]!]),
      ),
    ),
    ...properties,
    object_marking_refs: [marking],
  };
}

const messengerAccountTypes: Partial<Record<Indicator['kind'], string>> = {
  telegram: 'telegram',
  line: 'line',
  whatsapp: 'whatsapp',
};

/** `network:rest`, for the kinds Reportline network-qualifies. */
function splitNetwork(value: string): { network?: string; rest: string } {
  const match = /^([a-z0-9-]+):(.+)$/.exec(value);
  return match ? { network: match[1]!, rest: match[2]! } : { rest: value };
}

function indicatorSco(indicator: Indicator, marking: string): Sco | undefined {
  const { value } = indicator;
  switch (indicator.kind) {
    case 'url':
      return standardSco('url', { value }, ['value'], marking);
    case 'domain':
      return standardSco('domain-name', { value }, ['value'], marking);
    case 'email':
      // A value that is no address (kept by the intake as "invalid") is no email-addr.
      return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value)
        ? standardSco('email-addr', { value }, ['value'], marking)
        : undefined;
    case 'telegram':
    case 'line':
    case 'whatsapp':
      // STIX 2.1 §6.14: id-contributing properties account_type, user_id, account_login.
      return standardSco(
        'user-account',
        // A Telegram account known by its numeric id (a forwarded message's origin) is its user_id, not a login.
        indicator.kind === 'telegram' && value.startsWith('id:')
          ? { account_type: messengerAccountTypes[indicator.kind]!, user_id: value.slice(3) }
          : { account_type: messengerAccountTypes[indicator.kind]!, account_login: value },
        ['account_type', 'user_id', 'account_login'],
        marking,
      );
    case 'phone':
      return customSco('phone', { value, validity: indicator.validity }, marking);
    case 'iban':
      return customSco(
        'bankAccount',
        {
          value,
          account_number: value,
          account_number_scheme: 'iban',
          ...(/^[A-Z]{2}/.test(value) ? { country: value.slice(0, 2) } : {}),
          validity: indicator.validity,
        },
        marking,
      );
    case 'bank_account': {
      const { network: bank, rest: account } = splitNetwork(value);
      return customSco(
        'bankAccount',
        {
          value,
          account_number: account,
          account_number_scheme: 'domestic',
          ...(bank ? { institution: bank } : {}),
          validity: indicator.validity,
        },
        marking,
      );
    }
    case 'crypto_address': {
      const { network, rest: address } = splitNetwork(value);
      return customSco(
        'wallet',
        { value, address, ...(network ? { network } : {}), validity: indicator.validity },
        marking,
      );
    }
    case 'crypto_tx': {
      const { network, rest: hash } = splitNetwork(value);
      return customSco(
        'transaction',
        { value, hash, ...(network ? { network } : {}), validity: indicator.validity },
        marking,
      );
    }
    default:
      // Amounts identify nothing and tie no reports together.
      return undefined;
  }
}

/**
 * What the reporter wrote about themselves, normalized as indicators are, so
 * that a narrative mentioning the reporter's own number or address does not
 * put it in the bundle.
 */
function reporterValues(document: CaseDocument): Set<string> {
  const { reporter, victim } = document.report;
  const defaultCountry = victim.residenceCountry ?? victim.nationality ?? victim.currentCountry;
  const options = defaultCountry ? { defaultCountry } : {};
  const values = new Set<string>();
  for (const raw of [reporter.phone, reporter.contact]) {
    if (!raw) continue;
    values.add(raw.trim().toLowerCase());
    for (const kind of ['phone', 'email', 'telegram', 'line', 'whatsapp'] as const) {
      const normalized = normalizeIndicator(kind, raw, options);
      if (normalized) values.add(normalized.value);
    }
  }
  return values;
}

// ---------------------------------------------------------------------------
// Cases

/** Timestamps at millisecond precision, as STIX 2.1 §3.2 asks for created/modified. */
const stixTime = (value: string) => new Date(value).toISOString();

const incidentTypes: Record<string, string[]> = {
  voice_phishing: ['fraud', 'voice-phishing', 'impersonation'],
  investment_crypto: ['fraud', 'investment-fraud', 'cryptocurrency-fraud'],
  romance: ['fraud', 'romance-scam'],
  fake_job_compound: ['human-trafficking', 'forced-criminality', 'fake-job-offer'],
  money_mule: ['fraud', 'money-mule'],
  sextortion: ['sextortion', 'extortion'],
  loan_shopping: ['fraud', 'loan-fraud'],
  other: ['fraud'],
};

const categoryNames: Record<string, string> = {
  voice_phishing: 'voice phishing',
  investment_crypto: 'investment / crypto scam',
  romance: 'romance scam',
  fake_job_compound: 'fake job offer / scam compound',
  money_mule: 'money mule',
  sextortion: 'sextortion',
  loan_shopping: 'loan scam',
  other: 'scam',
};

/** Incident Core `investigation_status` from the case status. */
const investigationStatus: Record<string, string> = {
  new: 'new',
  triaging: 'open',
  referred: 'open',
  with_agency: 'open',
  closed: 'closed',
  duplicate: 'closed',
};

const yes = (flag: boolean | undefined, text: string) => (flag ? [text] : []);

/** The trafficking screening's finding and, when it marks a likely victim, the non-punishment principle. */
function traffickingLines(document: CaseDocument): string[] {
  const finding = document.trafficking ?? traffickingFindingOf(document.report);
  if (!finding?.likelyVictim) return [];
  return [
    `Likely trafficking victim (screening rule ${finding.rule}; indicators: ${finding.indicators.join(', ').replace(/_/g, ' ')}).`,
    `Non-punishment: treat as a victim, not an offender, for acts they were made to commit${finding.forcedToScam ? ' (they report being forced to scam others)' : ''} (${(finding.nonPunishment ?? []).join('; ')}).`,
  ];
}

/** What the hotline knows of the case, in English, without the reporter and without the free-text narrative. */
function incidentDescription(document: CaseDocument): string {
  const { report } = document;
  const { incident, safety, trafficking, victim, suspects, losses } = report;
  const compound = suspects.compound;
  const victimState = [
    ...yes(safety.inImmediateDanger, 'in immediate danger'),
    ...yes(safety.heldAgainstWill, 'held against their will'),
    ...yes(safety.passportWithheld, 'passport withheld'),
    ...yes(safety.minorInvolved, 'a minor is involved'),
  ];
  const lines = [
    `Reported to Reportline via ${report.channel} (${report.language}) as ${document.reference}; case status: ${document.status}.`,
    ...(document.urgent ? ['URGENT: someone is in danger now or held.'] : []),
    ...(incident.firstContactDate || incident.firstContactPlatform
      ? [
          `First contact${incident.firstContactDate ? ` on ${incident.firstContactDate}` : ''}${incident.firstContactPlatform ? ` via ${incident.firstContactPlatform}` : ''}${incident.ongoing ? '; still ongoing' : ''}.`,
        ]
      : []),
    ...(victimState.length > 0 ? [`Victim: ${victimState.join(', ')}.`] : []),
    ...(victim.nationality || victim.currentCountry
      ? [`Victim nationality ${victim.nationality ?? 'unknown'}, now in ${victim.currentCountry ?? 'unknown'}.`]
      : []),
    ...(compound?.name || compound?.place || compound?.country
      ? [`Compound: ${[compound.name, compound.place, compound.country].filter(Boolean).join(', ')}.`]
      : []),
    ...(trafficking.othersHeldCount !== undefined
      ? [
          `Others held: ${trafficking.othersHeldCount}${trafficking.othersHeldNationalities.length > 0 ? ` (${trafficking.othersHeldNationalities.join(', ')})` : ''}.`,
        ]
      : []),
    ...traffickingLines(document),
    ...(trafficking.promisedJob ? [`Promised job: ${trafficking.promisedJob}.`] : []),
    ...(trafficking.debtOrRansomDemanded ? [`Debt or ransom demanded: ${trafficking.debtOrRansomDemanded}.`] : []),
    ...(losses.payments.length > 0
      ? [
          `Payments reported: ${losses.payments.map((payment) => `${payment.amount} ${payment.currency}${payment.date ? ` on ${payment.date}` : ''}`).join('; ')}.`,
        ]
      : []),
  ];
  return lines.join('\n');
}

function incidentObject(document: CaseDocument, marking: string) {
  const category = document.category ?? 'other';
  const { safety, trafficking } = document.report;
  const held = trafficking.othersHeldCount;
  return {
    type: 'incident',
    spec_version: '2.1',
    id: sdoId('incident', document.reference),
    created: stixTime(document.createdAt),
    modified: stixTime(document.updatedAt),
    created_by_ref: hotlineIdentityId,
    name: `${document.reference}: ${categoryNames[category] ?? 'scam'}`,
    description: incidentDescription(document),
    external_references: [
      { source_name: 'reportline', external_id: document.reference, description: 'Reportline case reference' },
    ],
    object_marking_refs: [marking],
    extensions: {
      [incidentCoreExtensionId]: {
        extension_type: 'property-extension',
        // A report to a hotline, not yet an investigator's finding.
        determination: 'suspected',
        investigation_status: investigationStatus[document.status] ?? 'open',
        incident_types: incidentTypes[category] ?? ['fraud'],
        detection_methods: ['victim-or-witness-report'],
        ...(document.urgent || safety.heldAgainstWill ? { criticality: 100 } : {}),
        ...(held !== undefined ? { impacted_entity_counts: { individuals: held + 1 } } : {}),
      },
    },
  };
}

function countryLocation(country: string) {
  return {
    type: 'location',
    spec_version: '2.1',
    id: sdoId('location', `country:${country}`),
    created: definitionsCreated,
    modified: definitionsCreated,
    created_by_ref: hotlineIdentityId,
    name: country,
    country,
    object_marking_refs: [tlpMarkingIds.clear],
  };
}

function relationship(
  source: string,
  type: string,
  target: string,
  document: CaseDocument,
  marking: string,
  description: string,
) {
  return {
    type: 'relationship',
    spec_version: '2.1',
    id: sdoId('relationship', `${source}:${type}:${target}`),
    created: stixTime(document.createdAt),
    modified: stixTime(document.updatedAt),
    created_by_ref: hotlineIdentityId,
    relationship_type: type,
    description,
    source_ref: source,
    target_ref: target,
    object_marking_refs: [marking],
  };
}

/**
 * The earliest time the case's observables were seen: the first contact, when the reporter gave it and it is not later
 * than the report.
 */
function firstObserved(document: CaseDocument): string {
  const reported = stixTime(document.createdAt);
  const first = document.report.incident.firstContactDate;
  if (!first) return reported;
  const contact = new Date(`${first}T00:00:00.000Z`).toISOString();
  return contact <= reported ? contact : reported;
}

export interface StixExportOptions {
  /** TLP 2.0 level of the case objects (the observables, incidents, relationships). Default TLP:AMBER+STRICT. */
  tlp?: TlpLevel;
  /** The producer identity's name. */
  producerName?: string;
}

export interface StixBundle {
  type: 'bundle';
  id: string;
  objects: Array<Record<string, unknown> & { type: string; id: string }>;
}

/**
 * The cases as one STIX 2.1 bundle. The same cases give the same bundle,
 * byte for byte: ids are derived, timestamps come from the cases, and the
 * objects are in a fixed order.
 */
export function casesToStixBundle(cases: CaseDocument[], options: StixExportOptions = {}): StixBundle {
  const level = options.tlp ?? 'amber+strict';
  const marking = tlpMarkingIds[level];
  const markings = [...new Set<TlpLevel>(['clear', level])].map(tlpMarking);
  const references = new Set(cases.map((item) => item.reference));

  const locations = new Map<string, ReturnType<typeof countryLocation>>();
  const observables = new Map<string, Sco>();
  const usedScoTypes = new Set<string>();
  const caseObjects: Array<Record<string, unknown> & { type: string; id: string }> = [];

  for (const document of cases) {
    const incident = incidentObject(document, marking);
    caseObjects.push(incident);

    // Where: the country the victim is in now, and the compound's.
    const places = new Map<string, string[]>();
    const { victim, suspects } = document.report;
    if (victim.currentCountry) places.set(victim.currentCountry, ['the victim is in this country']);
    if (suspects.compound?.country)
      places.set(suspects.compound.country, [
        ...(places.get(suspects.compound.country) ?? []),
        'the compound is in this country',
      ]);
    for (const [country, why] of [...places.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      const location = locations.get(country) ?? countryLocation(country);
      locations.set(country, location);
      caseObjects.push(
        relationship(incident.id, 'located-at', location.id, document, marking, `Reported: ${why.join('; ')}.`),
      );
    }

    // What: the case's observables.
    const excluded = reporterValues(document);
    const refs: string[] = [];
    for (const indicator of document.indicators) {
      if (excluded.has(indicator.value)) continue;
      const sco = indicatorSco(indicator, marking);
      if (!sco) continue;
      if (!observables.has(sco.id)) observables.set(sco.id, sco);
      if (!refs.includes(sco.id)) refs.push(sco.id);
      usedScoTypes.add(sco.type);
    }
    if (refs.length > 0) {
      const observed = {
        type: 'observed-data',
        spec_version: '2.1',
        id: sdoId('observed-data', document.reference),
        created: stixTime(document.createdAt),
        modified: stixTime(document.updatedAt),
        created_by_ref: hotlineIdentityId,
        first_observed: firstObserved(document),
        last_observed: stixTime(document.createdAt),
        number_observed: 1,
        object_refs: refs,
        object_marking_refs: [marking],
      };
      caseObjects.push(observed);
      caseObjects.push(
        relationship(
          incident.id,
          'related-to',
          observed.id,
          document,
          marking,
          'The phone numbers, accounts, wallets and sites reported in this case.',
        ),
      );
    }

    // Linked reports: one relationship per pair in this bundle, stated by the
    // case with the smaller reference; a linked report outside the bundle is
    // referred to by its incident id all the same.
    for (const linked of [...document.linkedReports].sort((a, b) => a.reference.localeCompare(b.reference))) {
      if (references.has(linked.reference) && linked.reference < document.reference) continue;
      caseObjects.push(
        relationship(
          incident.id,
          'related-to',
          sdoId('incident', linked.reference),
          document,
          marking,
          `Reportline links ${document.reference} and ${linked.reference}: the reports share an indicator, or staff linked them.`,
        ),
      );
    }
  }

  const extensionDefinitions = Object.values(reportlineScoTypes)
    .filter((definition: ScoTypeDefinition) => usedScoTypes.has(definition.type))
    .map(extensionDefinition);

  const objects = [
    ...markings,
    tlp2ExtensionDefinition,
    hotlineIdentity(options.producerName ?? 'Reportline'),
    ...(cases.length > 0 ? [incidentCoreExtensionDefinition] : []),
    ...extensionDefinitions,
    ...[...locations.values()].sort((a, b) => a.id.localeCompare(b.id)),
    ...caseObjects,
    ...[...observables.values()].sort((a, b) => a.id.localeCompare(b.id)),
  ];
  return {
    type: 'bundle',
    id: sdoId('bundle', `${level}:${[...references].sort().join(',')}`),
    objects,
  };
}
