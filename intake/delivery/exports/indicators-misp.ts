import { createHash } from 'node:crypto';
import { uuidV5 } from './uuid-v5.js';
import { formatAmount } from '../../indicators/amount.js';
import type { Indicator, IndicatorKind } from '../../indicators/indicator.js';
import type { CaseDocument } from '../case-document.js';
import { mispTemplates, type MispRelation, type MispTemplateName } from './misp-templates.js';
import { circlTagName, galaxyTagName, scamCategoryMapping } from './scam-taxonomy.js';

/**
 * Reportline cases as MISP data: objects shaped exactly as the MISP object
 * templates define them (see misp-templates.ts), events tagged with TLP, PAP,
 * the CIRCL incident classification and fraud galaxy clusters, MISP's feed
 * format (one event per case, manifest.json, hashes.csv), and the deployment's
 * ignored indicators as a MISP warninglist.
 *
 * Every attribute is written with `to_ids: false`: these are what victims and
 * their families reported, not vetted detections, and an analyst sets the IDS
 * flag once a value is checked. Events are never published: a published event
 * is pushed on to the agency's sync partners, and TLP:AMBER+STRICT keeps a
 * case inside the agency.
 */

export const defaultMispTlp = 'tlp:amber+strict';
export const defaultMispPap = 'PAP:AMBER';

/** Colours of the TLP (misp-taxonomies `tlp`, version 10) and PAP (`PAP`, version 1) tags. */
const tagColours: Record<string, string> = {
  'tlp:red': '#FF2B2B',
  'tlp:amber': '#FFC000',
  'tlp:amber+strict': '#FFC000',
  'tlp:green': '#33FF00',
  'tlp:clear': '#ffffff',
  'tlp:white': '#ffffff',
  'PAP:RED': '#ff0000',
  'PAP:AMBER': '#ffa800',
  'PAP:GREEN': '#00ad1c',
  'PAP:WHITE': '#ffffff',
};

export interface MispTag {
  name: string;
  colour?: string;
}

export interface MispOrg {
  name: string;
  uuid: string;
}

export interface MispExportOptions {
  /** The TLP tag every event carries; `tlp:amber+strict` unless the deployment chooses another. */
  tlp?: string;
  /** The PAP tag every event carries; `PAP:AMBER` unless the deployment chooses another. */
  pap?: string;
  /** The organisation that creates the events (the feed's `Orgc`). */
  org?: MispOrg;
  /** Indicators that must never link reports: written with correlation disabled. */
  ignored?: Iterable<{ kind: IndicatorKind; value: string }>;
}

// ---------------------------------------------------------------------------
// Identifiers

/** Reportline's own namespace for the UUIDs of its MISP data; never change it, or every event gets a new identity. */
const reportlineMispNamespace = 'd44e0833-83a9-4e05-8c4f-d958e56b33e4';

/**
 * The MISP event of one case: the same for every agency and every pull, so a re-pull updates rather than duplicates.
 */
export function mispEventUuidForReport(reportId: string): string {
  return uuidV5(reportlineMispNamespace, `report:${reportId}`);
}

/** Who creates the events unless a deployment names its own organisation. */
export const defaultMispOrg: MispOrg = {
  name: 'Reportline',
  uuid: uuidV5(reportlineMispNamespace, 'organisation:reportline'),
};

// ---------------------------------------------------------------------------
// Objects

export interface DraftAttribute {
  relation: string;
  value: string;
  /** The value is the indicator itself (not a symbol, an app or a note): it goes in the warninglist. */
  indicator?: boolean;
  disableCorrelation?: boolean;
}

/** An object before it is given identifiers: a template, what identifies it in its event, its attributes. */
export interface DraftObject<N extends MispTemplateName = MispTemplateName> {
  template: N;
  key: string;
  comment: string;
  attributes: DraftAttribute[];
}

export function draft<N extends MispTemplateName>(
  template: N,
  key: string,
  comment: string,
  attributes: Array<DraftAttribute & { relation: MispRelation<N> }>,
): DraftObject<N> {
  return { template, key, comment, attributes };
}

export interface MispObjectAttribute {
  uuid: string;
  type: string;
  category: string;
  object_relation: string;
  value: string;
  to_ids: boolean;
  disable_correlation?: boolean;
  timestamp?: number;
}

export interface MispObject {
  name: string;
  'meta-category': string;
  description: string;
  template_uuid: string;
  template_version: number;
  uuid: string;
  comment: string;
  /** 5: the event's. The feed writes numbers as PyMISP does; the import format MISP's strings. */
  distribution?: number | string;
  timestamp?: number;
  Attribute: MispObjectAttribute[];
}

export function render(object: DraftObject, eventUuid: string, timestamp: number | undefined): MispObject {
  const template = mispTemplates[object.template];
  const uuid = uuidV5(eventUuid, `object:${object.template}:${object.key}`);
  return {
    name: template.name,
    'meta-category': template.metaCategory,
    description: template.description,
    template_uuid: template.uuid,
    template_version: template.version,
    uuid,
    comment: object.comment,
    ...(timestamp === undefined ? {} : { timestamp }),
    Attribute: object.attributes.map((attribute) => {
      const relation = (
        template.relations as Record<string, { type: string; category: string; disableCorrelation?: true }>
      )[attribute.relation];
      if (!relation) throw new Error(`the ${template.name} template has no ${attribute.relation} relation`);
      const disableCorrelation = relation.disableCorrelation === true || attribute.disableCorrelation === true;
      return {
        uuid: uuidV5(uuid, `attribute:${attribute.relation}:${attribute.value}`),
        type: relation.type,
        category: relation.category,
        object_relation: attribute.relation,
        value: attribute.value,
        to_ids: false,
        ...(disableCorrelation ? { disable_correlation: true } : {}),
        ...(timestamp === undefined ? {} : { timestamp }),
      };
    }),
  };
}

/** `network:rest` as the indicators write wallets and transactions; a value without a known network has none. */
function splitNetwork(value: string): { network: string | undefined; rest: string } {
  const match = /^([a-z]+):(.+)$/.exec(value);
  return match ? { network: match[1], rest: match[2]! } : { network: undefined, rest: value };
}

/** Upper-case symbols as the coin templates' `symbol` lists write them; an EVM address names no one chain. */
const networkSymbols: Record<string, string> = { bitcoin: 'BTC', tron: 'TRX', ethereum: 'ETH' };

function validityNote(indicator: Pick<Indicator, 'validity'>): string {
  return indicator.validity === 'invalid' ? ' (its checksum or numbering check failed: possibly mistyped)' : '';
}

/**
 * The kinds an export writes. A salary a fake job ad offered is neither an
 * identifier cases share nor money the victim lost, so it is left out (a
 * monetary-impact object for it would read as a loss).
 */
export type ExportedIndicator = Pick<Indicator, 'value' | 'validity'> & { kind: Exclude<IndicatorKind, 'salary'> };

export function isExported<T extends Pick<Indicator, 'kind'>>(
  indicator: T,
): indicator is T & { kind: ExportedIndicator['kind'] } {
  return indicator.kind !== 'salary';
}

/**
 * The object for one indicator. Every kind exported has one: amounts are a
 * loss, not an identifier, and become monetary-impact objects.
 */
export function indicatorDraft(indicator: ExportedIndicator, comment: string): DraftObject {
  const key = `${indicator.kind}:${indicator.value}`;
  const note = `${comment}${validityNote(indicator)}`;
  const value = indicator.value;
  switch (indicator.kind) {
    case 'phone':
      return draft('phone-number', key, note, [{ relation: 'phone-number', value, indicator: true }]);
    case 'whatsapp':
      // The number behind a wa.me link: a WhatsApp account messaging the victim.
      return draft('instant-message', key, note, [
        { relation: 'from-number', value, indicator: true },
        { relation: 'app-used', value: 'WhatsApp' },
      ]);
    case 'line':
      return draft('instant-message', key, note, [
        { relation: 'from-user', value, indicator: true },
        { relation: 'app-used', value: 'LINE' },
      ]);
    case 'telegram':
      // `id:<n>`: an account known by its numeric id (a forwarded message's origin), not by a username.
      return value.startsWith('id:')
        ? draft('telegram-account', key, note, [{ relation: 'id', value: value.slice(3), indicator: true }])
        : draft('telegram-account', key, note, [{ relation: 'username', value, indicator: true }]);
    case 'iban':
      return draft('bank-account', key, note, [{ relation: 'iban', value, indicator: true }]);
    case 'bank_account': {
      const { network: bank, rest: account } = /^[a-z0-9-]+:\d+$/.test(value)
        ? splitBank(value)
        : { network: undefined, rest: value };
      return draft('bank-account', key, note, [
        { relation: 'account', value: account, indicator: true },
        ...(bank ? [{ relation: 'institution-name' as const, value: bank }] : []),
      ]);
    }
    case 'crypto_address': {
      const { network, rest } = splitNetwork(value);
      const symbol = network ? networkSymbols[network] : undefined;
      return draft('coin-address', key, note, [
        network === 'bitcoin'
          ? { relation: 'address', value: rest, indicator: true }
          : { relation: 'address-crypto', value: rest, indicator: true },
        ...(symbol ? [{ relation: 'symbol' as const, value: symbol }] : []),
        ...(network === 'evm'
          ? [
              {
                relation: 'text' as const,
                value: 'EVM address: the report does not say which Ethereum-compatible chain',
              },
            ]
          : []),
      ]);
    }
    case 'crypto_tx': {
      const { network, rest } = splitNetwork(value);
      const symbol = network ? networkSymbols[network] : undefined;
      return draft('cryptocurrency-transaction', key, note, [
        { relation: 'transaction-number', value: rest, indicator: true },
        ...(symbol ? [{ relation: 'symbol' as const, value: symbol }] : []),
      ]);
    }
    case 'url':
      return draft('url', key, note, [{ relation: 'url', value, indicator: true }]);
    case 'domain':
      return draft('domain-ip', key, note, [{ relation: 'domain', value, indicator: true }]);
    case 'email':
      // An address the suspects wrote from: the email template's sender.
      return draft('email', key, note, [{ relation: 'from', value, indicator: true }]);
    case 'amount': {
      const [amount = value, currency] = value.split(' ');
      return draft('monetary-impact', key, `${note}: an amount the report's text mentions`, [
        { relation: 'variety', value: 'uncategorized' },
        { relation: 'min_amount', value: amount },
        { relation: 'max_amount', value: amount },
        ...(currency ? [{ relation: 'currency' as const, value: currency }] : []),
      ]);
    }
  }
}

function splitBank(value: string): { network: string; rest: string } {
  const separator = value.indexOf(':');
  return { network: value.slice(0, separator), rest: value.slice(separator + 1) };
}

/**
 * What a case says beyond its indicators, for the agency's analysts: what the
 * victim lost, where the victim and the compound are, and the names the
 * suspects used. Each is only written because the case was shared with
 * consent, and each follows README.md's rules on personal data: never the
 * reporter, never the victim's name.
 */
function caseDrafts(document: CaseDocument): DraftObject[] {
  const { report, reference } = document;
  if (report.consent.shareWithLawEnforcement !== true) return [];
  const drafts: DraftObject[] = [];
  const paid = new Set<string>();
  report.losses.payments.forEach((payment, index) => {
    const amount = formatAmount(payment.amount);
    paid.add(`${amount} ${payment.currency}`);
    drafts.push(
      draft(
        'monetary-impact',
        `${reference}:payment:${index}`,
        `Payment ${index + 1} the victim reported in ${reference}`,
        [
          { relation: 'variety', value: 'asset-and-fraud' },
          { relation: 'min_amount', value: amount },
          { relation: 'max_amount', value: amount },
          { relation: 'currency', value: payment.currency },
          ...(payment.date
            ? [
                { relation: 'start_time' as const, value: `${payment.date}T00:00:00Z` },
                { relation: 'start_time_fidelity' as const, value: 'day' },
              ]
            : []),
          ...(payment.method
            ? [{ relation: 'description' as const, value: `Paid by ${payment.method.replace(/_/g, ' ')}` }]
            : []),
        ],
      ),
    );
  });
  for (const indicator of document.indicators) {
    if (isExported(indicator) && indicator.kind === 'amount' && !paid.has(indicator.value)) {
      drafts.push({
        ...indicatorDraft(indicator, `Reported in ${reference}`),
        key: `${reference}:amount:${indicator.value}`,
      });
    }
  }
  const coordinates = report.victim.coordinates;
  if (coordinates) {
    drafts.push(
      draft('geolocation', `${reference}:victim`, `Where the victim was, as reported in ${reference}`, [
        { relation: 'latitude', value: String(coordinates.latitude) },
        { relation: 'longitude', value: String(coordinates.longitude) },
        // A country code would correlate every case of the country: noise, not a lead.
        ...(report.victim.currentCountry
          ? [{ relation: 'country' as const, value: report.victim.currentCountry, disableCorrelation: true }]
          : []),
        {
          relation: 'text',
          value: 'Location of the victim shared with consent for rescue and investigation; do not share further',
        },
      ]),
    );
  }
  const compound = report.suspects.compound;
  if (compound && (compound.name || compound.place || compound.country)) {
    drafts.push(
      draft('geolocation', `${reference}:compound`, `The compound named in ${reference}`, [
        ...(compound.place ? [{ relation: 'address' as const, value: compound.place }] : []),
        ...(compound.country
          ? [{ relation: 'country' as const, value: compound.country, disableCorrelation: true }]
          : []),
        ...(compound.name ? [{ relation: 'text' as const, value: `Scam compound: ${compound.name}` }] : []),
      ]),
    );
  }
  report.suspects.names.forEach((name, index) => {
    drafts.push(
      draft('person', `${reference}:suspect:${index}`, `A name a suspect used, as reported in ${reference}`, [
        // An alias, not an identity: scammers use false names, and a real person's may have been stolen.
        { relation: 'alias', value: name, disableCorrelation: true },
        { relation: 'role', value: 'Suspect' },
        { relation: 'text', value: 'Name given by the victim or reporter; not verified' },
      ]),
    );
  });
  return drafts;
}

function ignoredKeys(options: MispExportOptions): Set<string> {
  return new Set([...(options.ignored ?? [])].map((entry) => `${entry.kind}:${entry.value}`));
}

/** Indicators the deployment ignores are still written, but MISP must not correlate them either. */
function withoutCorrelation(object: DraftObject, ignored: Set<string>): DraftObject {
  if (!ignored.has(object.key)) return object;
  return {
    ...object,
    attributes: object.attributes.map((attribute) =>
      attribute.indicator ? { ...attribute, disableCorrelation: true } : attribute,
    ),
  };
}

// ---------------------------------------------------------------------------
// Tags

function tag(name: string): MispTag {
  const colour = tagColours[name];
  return colour ? { name, colour } : { name };
}

/** The tags of an event about cases of these categories: TLP, PAP, then what each category is called. */
export function eventTags(categories: Array<string | null>, options: MispExportOptions): MispTag[] {
  const names = [options.tlp ?? defaultMispTlp, options.pap ?? defaultMispPap];
  for (const category of categories) {
    const mapping = scamCategoryMapping(category);
    names.push(circlTagName(mapping.circlIncidentClassification));
    for (const cluster of [...mapping.attck4fraud, ...mapping.mitreFraudFramework]) names.push(galaxyTagName(cluster));
  }
  return [...new Set(names)].map(tag);
}

// ---------------------------------------------------------------------------
// A set of cases as one event (MISP's JSON import format), for `?format=misp`

/** A stable UUID for the export of a given set of cases, so a re-import updates instead of duplicating. */
function exportEventUuid(references: string[]): string {
  const hex = createHash('sha256').update(references.sort().join(',')).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * The indicators of a set of cases as one MISP event (MISP's JSON import
 * format): one object per distinct indicator, each saying which cases carry
 * it, then what each case lost, where its victim and compound are and the
 * names its suspects used.
 */
export function casesToMispEvent(cases: CaseDocument[], options: { now: Date; info?: string } & MispExportOptions) {
  const carriers = new Map<string, { indicator: ExportedIndicator; references: string[] }>();
  for (const item of cases) {
    for (const indicator of item.indicators) {
      // An amount is a loss of one case, not an identifier cases share; a salary offered is neither.
      if (indicator.kind === 'amount' || !isExported(indicator)) continue;
      const key = `${indicator.kind}\u0000${indicator.value}`;
      const entry = carriers.get(key) ?? { indicator, references: [] };
      if (!entry.references.includes(item.reference)) entry.references.push(item.reference);
      carriers.set(key, entry);
    }
  }
  const ignored = ignoredKeys(options);
  const drafts: DraftObject[] = [...carriers.values()].map(({ indicator, references }) =>
    withoutCorrelation(indicatorDraft(indicator, `Reported in ${references.join(', ')}`), ignored),
  );
  for (const item of cases) drafts.push(...caseDrafts(item));
  const uuid = exportEventUuid(cases.map((item) => item.reference));
  return {
    Event: {
      uuid,
      info: options.info ?? `Reportline: indicators from ${cases.length} scam and trafficking report(s)`,
      date: options.now.toISOString().slice(0, 10),
      threat_level_id: '2',
      analysis: '1',
      distribution: '0',
      published: false,
      Orgc: options.org ?? defaultMispOrg,
      Tag: eventTags(
        cases.map((item) => item.category),
        options,
      ),
      Attribute: [] as never[],
      Object: drafts.map((object) => ({ ...render(object, uuid, undefined), distribution: '5' })),
    },
  };
}

// ---------------------------------------------------------------------------
// One case as one event of a MISP feed

export interface MispFeedEvent {
  uuid: string;
  info: string;
  date: string;
  /** 1 high (someone in danger or held), 2 medium. */
  threat_level_id: number;
  /** 0 initial (new, triaging), 1 ongoing (referred, with an agency), 2 completed (closed, duplicate). */
  analysis: number;
  timestamp: number;
  published: boolean;
  Orgc: MispOrg;
  Tag: MispTag[];
  Attribute: never[];
  Object: MispObject[];
}

const analysisOfStatus: Record<string, number> = {
  new: 0,
  triaging: 0,
  referred: 1,
  with_agency: 1,
  closed: 2,
  duplicate: 2,
};

function epochSeconds(iso: string): number {
  return Math.floor(Date.parse(iso) / 1000);
}

/**
 * One case as the event of a MISP feed (`<uuid>.json`, PyMISP's feed form):
 * its indicators, losses, places and suspects' names as template objects,
 * its category as tags. Its timestamp is when the case last changed, so a
 * MISP that pulls the feed again fetches it only then.
 */
export function caseToMispFeedEvent(
  document: CaseDocument,
  options: { eventUuid: string } & MispExportOptions,
): { Event: MispFeedEvent } {
  const timestamp = epochSeconds(document.updatedAt);
  const ignored = ignoredKeys(options);
  const seen = new Set<string>();
  const drafts: DraftObject[] = [];
  for (const indicator of document.indicators) {
    const key = `${indicator.kind}:${indicator.value}`;
    if (indicator.kind === 'amount' || !isExported(indicator) || seen.has(key)) continue;
    seen.add(key);
    drafts.push(withoutCorrelation(indicatorDraft(indicator, `Reported in ${document.reference}`), ignored));
  }
  drafts.push(...caseDrafts(document));
  const mapping = scamCategoryMapping(document.category);
  return {
    Event: {
      uuid: options.eventUuid,
      info: `Reportline case ${document.reference}: ${mapping.label}`,
      date: document.createdAt.slice(0, 10),
      threat_level_id: document.urgent ? 1 : 2,
      analysis: analysisOfStatus[document.status] ?? 0,
      timestamp,
      published: false,
      Orgc: options.org ?? defaultMispOrg,
      Tag: eventTags([document.category], options),
      Attribute: [],
      Object: drafts.map((object) => ({ ...render(object, options.eventUuid, timestamp), distribution: 5 })),
    },
  };
}

export type MispFeedManifest = Record<
  string,
  {
    Orgc: MispOrg;
    Tag: MispTag[];
    info: string;
    date: string;
    analysis: number;
    threat_level_id: number;
    timestamp: number;
  }
>;

/** `manifest.json` of a feed: every event by its uuid, with what MISP shows and compares before fetching it. */
export function mispFeedManifest(events: Array<{ Event: MispFeedEvent }>): MispFeedManifest {
  const manifest: MispFeedManifest = {};
  for (const { Event: event } of events) {
    manifest[event.uuid] = {
      Orgc: event.Orgc,
      Tag: event.Tag,
      info: event.info,
      date: event.date,
      analysis: event.analysis,
      threat_level_id: event.threat_level_id,
      timestamp: event.timestamp,
    };
  }
  return manifest;
}

/**
 * `hashes.csv` of a feed, as MISP's feed generators write it: one line per
 * attribute value, the MD5 of the value then the event's uuid, so a MISP can
 * tell which events hold a value without fetching them.
 */
export function mispFeedHashes(events: Array<{ Event: MispFeedEvent }>): string {
  const lines: string[] = [];
  for (const { Event: event } of events) {
    for (const object of event.Object) {
      for (const attribute of object.Attribute) {
        lines.push(`${createHash('md5').update(attribute.value, 'utf8').digest('hex')},${event.uuid}`);
      }
    }
  }
  return lines.map((line) => `${line}\n`).join('');
}

// ---------------------------------------------------------------------------
// The ignored indicators as a MISP warninglist

export interface MispWarninglist {
  name: string;
  version: number;
  description: string;
  matching_attributes: string[];
  type: 'string';
  list: string[];
}

/**
 * The deployment's ignored indicators (a bank's public hotline, the agency's
 * own number, an exchange's deposit domain) as a MISP warninglist, so the
 * agency's MISP warns on them as Reportline refuses to link reports by them.
 * Each is written as the value MISP holds in the attribute Reportline's
 * export makes of it (a bank account without its bank, a wallet without its
 * network). The version is the day's date (YYYYMMDD), so a MISP that imports
 * the list daily takes the current one.
 */
export function ignoredIndicatorsToWarninglist(
  entries: Iterable<{ kind: IndicatorKind; value: string }>,
  options: { now: Date; version?: number },
): MispWarninglist {
  const values = new Set<string>();
  const types = new Set<string>();
  for (const entry of entries) {
    if (!isExported(entry)) continue;
    const object = indicatorDraft({ ...entry, validity: 'valid' }, '');
    const template = mispTemplates[object.template];
    for (const attribute of object.attributes) {
      if (!attribute.indicator) continue;
      values.add(attribute.value);
      types.add((template.relations as Record<string, { type: string }>)[attribute.relation]!.type);
    }
  }
  return {
    name: 'Reportline: indicators that never link reports',
    version: options.version ?? Number(options.now.toISOString().slice(0, 10).replace(/-/g, '')),
    description:
      'Values that appear in countless unrelated scam reports (public hotlines, official numbers, large exchanges): Reportline does not link reports by them, and a match says nothing about who is behind a scam.',
    matching_attributes: [...types].sort(),
    type: 'string',
    list: [...values].sort(),
  };
}
