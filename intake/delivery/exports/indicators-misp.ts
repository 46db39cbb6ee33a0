import { createHash } from 'node:crypto';
import type { Indicator } from '../../indicators/indicator.js';
import type { CaseDocument } from '../case-document.js';

interface MispAttribute {
  type: string;
  object_relation: string;
  value: string;
  category?: string;
  to_ids?: boolean;
  comment?: string;
}

interface MispObject {
  name: string;
  'meta-category': string;
  template_uuid?: string;
  comment: string;
  Attribute: MispAttribute[];
}

/**
 * Template identifiers of the MISP object templates (MISP/misp-objects), for
 * the templates whose identifier is stable across MISP releases.
 */
const templateUuids: Record<string, string> = {
  'coin-address': 'd0e6997e-78da-4815-a6a1-cfc1c1cb8a46',
  'cryptocurrency-transaction': 'a4aab70f-e43a-48cb-bf82-505de8228dd6',
  'telegram-account': '06f02ecf-5afb-42c5-9cb0-b362e222f52c',
  'bank-account': 'b4712203-95a8-4883-80e9-b566f5df11c9',
};

function object(name: string, metaCategory: string, comment: string, attributes: MispAttribute[]): MispObject {
  return {
    name,
    'meta-category': metaCategory,
    ...(templateUuids[name] ? { template_uuid: templateUuids[name] } : {}),
    comment,
    Attribute: attributes,
  };
}

/** The network half of a `network:address` value, upper-cased as MISP's symbol list writes it. */
function coinSymbol(value: string): { symbol: string | undefined; address: string } {
  const separator = value.indexOf(':');
  if (separator < 0) return { symbol: undefined, address: value };
  const network = value.slice(0, separator);
  const symbols: Record<string, string> = { bitcoin: 'BTC', ethereum: 'ETH', tron: 'TRX', evm: 'ETH' };
  return { symbol: symbols[network] ?? network.toUpperCase(), address: value.slice(separator + 1) };
}

function indicatorObject(indicator: Indicator, comment: string): MispObject | undefined {
  switch (indicator.kind) {
    case 'phone':
      return object('phone-number', 'misc', comment, [{ type: 'phone-number', object_relation: 'phone-number', value: indicator.value, to_ids: false }]);
    case 'whatsapp':
      return object('phone-number', 'misc', `${comment} (WhatsApp)`, [{ type: 'phone-number', object_relation: 'phone-number', value: indicator.value, to_ids: false }]);
    case 'iban':
      return object('bank-account', 'financial', comment, [
        { type: 'iban', object_relation: 'iban', value: indicator.value },
        { type: 'bank-account-nr', object_relation: 'account', value: indicator.value },
      ]);
    case 'bank_account': {
      const [bank, account] = indicator.value.includes(':') ? indicator.value.split(':', 2) : [undefined, indicator.value];
      return object('bank-account', 'financial', comment, [
        { type: 'bank-account-nr', object_relation: 'account', value: account ?? indicator.value },
        ...(bank ? [{ type: 'text', object_relation: 'institution-name', value: bank }] : []),
      ]);
    }
    case 'crypto_address': {
      const { symbol, address } = coinSymbol(indicator.value);
      return object('coin-address', 'financial', comment, [
        { type: symbol === 'BTC' ? 'btc' : 'text', object_relation: symbol === 'BTC' ? 'address' : 'address-crypto', value: address },
        ...(symbol ? [{ type: 'text', object_relation: 'symbol', value: symbol }] : []),
      ]);
    }
    case 'crypto_tx': {
      const { symbol, address: hash } = coinSymbol(indicator.value);
      return object('cryptocurrency-transaction', 'financial', comment, [
        { type: 'text', object_relation: 'transaction-number', value: hash },
        ...(symbol ? [{ type: 'text', object_relation: 'symbol', value: symbol }] : []),
      ]);
    }
    case 'url':
      return object('url', 'network', comment, [{ type: 'url', object_relation: 'url', value: indicator.value, category: 'Network activity' }]);
    case 'domain':
      return object('domain-ip', 'network', comment, [{ type: 'domain', object_relation: 'domain', value: indicator.value, category: 'Network activity' }]);
    case 'telegram':
      return object('telegram-account', 'misc', comment, [{ type: 'text', object_relation: 'username', value: indicator.value }]);
    default:
      return undefined;
  }
}

/** A stable UUID for the export of a given set of cases, so a re-import updates instead of duplicating. */
function eventUuid(references: string[]): string {
  const hex = createHash('sha256').update(references.sort().join(',')).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * The indicators of a set of cases as one MISP event (MISP's JSON import
 * format): one object per distinct indicator, each saying which cases carry
 * it. E-mail addresses become plain attributes; amounts are left out, as they
 * identify nothing.
 */
export function casesToMispEvent(cases: CaseDocument[], options: { now: Date; info?: string }) {
  const carriers = new Map<string, { indicator: Indicator; references: string[] }>();
  for (const item of cases) {
    for (const indicator of item.indicators) {
      const key = `${indicator.kind}\u0000${indicator.value}`;
      const entry = carriers.get(key) ?? { indicator, references: [] };
      if (!entry.references.includes(item.reference)) entry.references.push(item.reference);
      carriers.set(key, entry);
    }
  }
  const objects: MispObject[] = [];
  const attributes: MispAttribute[] = [];
  for (const { indicator, references } of carriers.values()) {
    const comment = `Reported in ${references.join(', ')}`;
    if (indicator.kind === 'email') {
      attributes.push({ type: 'email', object_relation: 'email', category: 'Social network', value: indicator.value, comment });
      continue;
    }
    const mispObject = indicatorObject(indicator, comment);
    if (mispObject) objects.push(mispObject);
  }
  return {
    Event: {
      uuid: eventUuid(cases.map((item) => item.reference)),
      info: options.info ?? `Reportline: indicators from ${cases.length} scam and trafficking report(s)`,
      date: options.now.toISOString().slice(0, 10),
      threat_level_id: '2',
      analysis: '1',
      distribution: '0',
      Tag: [{ name: 'tlp:amber' }],
      Attribute: attributes.map(({ object_relation: _relation, ...attribute }) => attribute),
      Object: objects,
    },
  };
}
