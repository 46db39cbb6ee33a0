import type { IndicatorKind } from '../indicators/indicator.js';

/** An indicator that must never be flagged, with where it is published. */
export interface SafelistEntry {
  kind: IndicatorKind;
  /** Normalized as the extractor normalizes it (E.164, lower-case domain). */
  value: string;
  /** Who it belongs to and where that is published. */
  source: string;
}

/**
 * Public numbers and sites that scammers quote (to look trustworthy) or that
 * victims mention (the bank they called), so they turn up in many reports and
 * must never be branded by a check, however many reports and even after a
 * mistaken confirmation. Only entries whose owner publishes them are listed,
 * each with the page it is published on; a deployment adds its own through
 * REPORTLINE_IGNORED_INDICATORS, and staff in the console.
 */
export const builtInSafelist: readonly SafelistEntry[] = [
  {
    kind: 'phone',
    value: '+6628888888',
    source: 'Kasikornbank K-Contact Center 02-888-8888 (published on https://www.kasikornbank.com)',
  },
  {
    kind: 'phone',
    value: '+6627777777',
    source: 'Siam Commercial Bank SCB Call Center 02-777-7777 (published on https://www.scb.co.th)',
  },
  {
    kind: 'phone',
    value: '+6621111111',
    source: 'Krungthai Bank Contact Center 02-111-1111 (published on https://krungthai.com)',
  },
  {
    kind: 'phone',
    value: '+6518001111111',
    source: 'DBS Bank / POSB Singapore customer hotline 1800 111 1111 (published on https://www.dbs.com.sg)',
  },
  {
    kind: 'phone',
    value: '+8215889999',
    source: 'KB Kookmin Bank customer center 1588-9999 (published on https://www.kbstar.com)',
  },
  {
    kind: 'phone',
    value: '+8215885000',
    source: 'Woori Bank customer center 1588-5000 (published on https://www.wooribank.com)',
  },
  { kind: 'domain', value: 'binance.com', source: 'Binance, cryptocurrency exchange (https://www.binance.com)' },
  { kind: 'domain', value: 'coinbase.com', source: 'Coinbase, cryptocurrency exchange (https://www.coinbase.com)' },
  {
    kind: 'domain',
    value: 'scamshield.gov.sg',
    source: 'ScamShield, National Crime Prevention Council and Singapore Police Force (https://www.scamshield.gov.sg)',
  },
];
