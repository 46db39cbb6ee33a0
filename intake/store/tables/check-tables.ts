/**
 * The tables of "check before you pay" (migration 0022-checks). A check never
 * writes anything: these hold what staff decided (confirmations, safelist
 * additions) and what owners of a number asked (disputes), never who checked.
 */

/** A staff confirmation of an indicator, by its blind index: what a warning stands on. */
export interface CheckConfirmationsTable {
  /** Blind index of kind + normalized value (as `report_indicators.value_hash`). */
  value_hash: string;
  kind: string;
  /** The normalized value, encrypted (`checkValueContext`): staff read it, nobody else. */
  value_enc: string;
  /** hex(HMAC-SHA256(partner key, kind + ":" + value)): what the partner range API answers. */
  partner_hash: string;
  /** The first characters of `partner_hash`: the range a partner asks for. */
  partner_prefix: string;
  /** job_scam | investment | recovery_agent | romance | other. */
  category: string;
  /** confirmed | unconfirmed | withdrawn (an upheld dispute). */
  status: string;
  /** Distinct reporters counted when staff confirmed it. */
  reporters: number;
  /** `user:<id>` of who last changed it. */
  changed_by: string;
  confirmed_at: string;
  changed_at: string;
  /** The upheld dispute that withdrew it. */
  dispute_id: string | null;
}

/** An indicator staff added to the safelist (besides the built-in and deployment entries). */
export interface CheckSafelistTable {
  value_hash: string;
  kind: string;
  /** In the clear: a public hotline, an exchange's domain, never a person's value. */
  value: string;
  /** Where it is published (a URL, an organisation): why it may not be flagged. */
  source: string;
  added_by: string;
  added_at: string;
}

/** What the owner of a number or site asked: that a warning be withdrawn. */
export interface CheckDisputesTable {
  id: string;
  /** What the person is given to quote, e.g. CHK-7K2M-Q9TX. */
  reference: string;
  channel: string;
  language: string;
  /** open | upheld | rejected. */
  status: string;
  /** The disputed indicators [{ kind, value }], encrypted. */
  subject_enc: string;
  explanation_enc: string;
  contact_enc: string | null;
  created_at: string;
  decided_at: string | null;
  decided_by: string | null;
}

/** Which indicators (by blind index) a dispute is about. */
export interface CheckDisputeIndicatorsTable {
  dispute_id: string;
  value_hash: string;
  kind: string;
}

export interface CheckTables {
  check_confirmations: CheckConfirmationsTable;
  check_safelist: CheckSafelistTable;
  check_disputes: CheckDisputesTable;
  check_dispute_indicators: CheckDisputeIndicatorsTable;
}
