import type { IndicatorKind } from '../indicators/indicator.js';

/**
 * The contract of "check before you pay": what the public surfaces (the bots'
 * `/check`, the web chat, the landing page's check box, the dispute form, the
 * value-check API) ask the intake and what it answers. The answer is built so
 * that it cannot be abused: it never says whether a report exists, how many
 * there are or what they say; only whether a warning stands that several
 * distinct reporters and a staff confirmation are behind (see check-rule.ts).
 */

export type CheckChannel = 'telegram' | 'line' | 'web' | 'webchat' | 'api';

/** The category's advice keys: never pay to get a job, nor to withdraw profits; nobody recovers money for a fee. */
export type CheckAdvice = 'job_deposit' | 'withdraw_fee' | 'recovery_fee' | 'general';

export interface CheckRequest {
  /** Anything typed or pasted: a local number, a wallet with spaces, a defanged link. */
  text: string;
  channel: CheckChannel;
  /** Who asks, only for the per-user/per-client rate limit; never stored, never logged. */
  askerKey: string;
  /** ISO country of the channel/person, so a local number can be normalized. */
  countryHint?: string;
}

export interface CheckedIndicator {
  kind: IndicatorKind;
  /** The normalized value as the person may see it back (what was checked). */
  shown: string;
  verdict: 'warning' | 'no_warning';
  /** Always at least one; 'recovery_fee' when it is a confirmed recovery agent. */
  advice: CheckAdvice[];
}

export type CheckAnswer =
  /** At most 3, in the order written. */
  | { kind: 'checked'; indicators: CheckedIndicator[] }
  /** No phone, wallet, account, site or handle in the text. */
  | { kind: 'nothing_recognised' }
  | { kind: 'rate_limited'; retryAfterSeconds: number };

export interface DisputeRequest {
  /** The number, wallet, account or site the person disputes, as they write it. */
  text: string;
  /** Why it should not be flagged (encrypted at rest). */
  explanation: string;
  /** How staff may reach the person (encrypted at rest). */
  contact?: string;
  language: string;
  channel: CheckChannel;
  askerKey: string;
  /** ISO country of the channel/person, so a local number can be normalized (as in CheckRequest). */
  countryHint?: string;
}

export type DisputeAnswer =
  | { kind: 'received'; reference: string }
  | { kind: 'nothing_recognised' }
  | { kind: 'rate_limited'; retryAfterSeconds: number };

export interface Checks {
  check(request: CheckRequest): Promise<CheckAnswer>;
  dispute(request: DisputeRequest): Promise<DisputeAnswer>;
  /** k-anonymity range query for partners: every confirmed hash starting with `prefix` (hex, 5 chars). */
  range(prefix: string): Promise<string[]>;
}

/** How many indicators one check answers about; the rest of the text is ignored. */
export const maxCheckedIndicators = 3;

/** The length, in hex digits, of a partner's range prefix. */
export const checkRangePrefixLength = 5;
