/** Each payment a report names to an account, by the account's blind index (migration 0026). */
export interface AccountPaymentsTable {
  report_id: string;
  /** The payment's place in `losses.payments`. */
  payment_index: number;
  /** `iban`, `bank_account`, `crypto_address` or `phone` (an e-wallet's number). */
  account_kind: string;
  /** The same blind index as the account's row in `report_indicators`. */
  account_hash: string;
  amount: number;
  currency: string;
  /** ISO date of the payment, when the reporter gave one. */
  paid_on: string | null;
  created_at: string;
}

/** A note for the hotline to ask a bank's fraud desk to freeze an account paid recently (migration 0026). */
export interface FreezeRequestsTable {
  id: string;
  report_id: string;
  account_kind: string;
  account_hash: string;
  /** The bank's slug (intake/indicators/banks.ts) or the wallet's network: which fraud desk handles it. */
  bank: string | null;
  /** The latest recent payment's date. */
  paid_on: string;
  /** What the recent payments to the account came to, in one currency. */
  amount: number;
  currency: string;
  /** The account as written and normalized, and the payment's transaction reference: encrypted. */
  note_enc: string;
  created_at: string;
  /** When the request should have gone to the bank (REPORTLINE_FREEZE_REQUEST_HOURS after it was made). */
  due_at: string;
  sent_at: string | null;
  sent_by: string | null;
  /** The fraud desk's id in the directory, or the national freeze channel's agency id (`th-aoc`). */
  sent_to: string | null;
  /**
   * How it reached them (0034): `email` (through the mail outbox), `phone` or `form` (staff called the national
   * anti-scam centre or filled in its web form, and recorded it); null for a request sent by e-mail before 0034.
   */
  sent_via: string | null;
  /** The code of the last failed send. */
  last_error: string | null;
}

export interface MuleTables {
  account_payments: AccountPaymentsTable;
  freeze_requests: FreezeRequestsTable;
}
