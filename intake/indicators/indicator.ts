/**
 * An indicator is a piece of a report that can tie it to other reports about
 * the same criminal network: a phone number, a wallet, a bank account, a site.
 */
export const indicatorKinds = [
  'phone', // E.164, e.g. +855123456789
  'crypto_address', // network-qualified, e.g. tron:TJ...; ethereum:0xabc... (lower case)
  'crypto_tx', // transaction hash, lower-case hex without 0x, optionally network-qualified
  'url', // canonical URL
  'domain', // registrable domain, lower case
  'email', // lower case
  'telegram', // username without @, lower case
  'line', // LINE id, lower case
  'whatsapp', // E.164 of the wa.me link
  'iban', // electronic format, upper case, no spaces
  'bank_account', // bank-qualified local account number: "<bank>:<digits>"
  'amount', // "<decimal> <CURRENCY>"; informative, never used to link reports
  'salary', // "<decimal> <CURRENCY>" a job ad offered as pay: not money lost, never links
] as const;

export type IndicatorKind = (typeof indicatorKinds)[number];

/**
 * `valid`: a checksum or numbering plan passed. `plausible`: the shape fits but
 * nothing could be verified. `invalid`: the shape fits but a check failed
 * (kept, because a mistyped wallet still tells an investigator something).
 */
export type IndicatorValidity = 'valid' | 'plausible' | 'invalid';

export interface Indicator {
  kind: IndicatorKind;
  /** The normalized value, the same for every way of writing it. */
  value: string;
  /** The text as the reporter wrote it. */
  original: string;
  validity: IndicatorValidity;
  /** Where it was found: a field path such as `suspects.phones.0` or `incident.narrative`. */
  source: string;
}

/** Kinds that say nothing about who is behind a scam and so never link reports. */
export const nonLinkingKinds: ReadonlySet<IndicatorKind> = new Set<IndicatorKind>(['amount', 'salary']);
