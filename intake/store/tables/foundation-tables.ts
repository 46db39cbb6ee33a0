import type { Generated } from 'kysely';

/**
 * Row types of the foundation tables. Times are ISO-8601 UTC text and flags
 * are 0/1 integers, so the same rows mean the same thing on SQLite and
 * PostgreSQL.
 */
export interface ReportsTable {
  id: string;
  reference: string;
  receipt_hash: string;
  channel: string;
  language: string;
  reporter_role: string | null;
  status: string;
  category: string | null;
  urgent: number;
  consent_share: number;
  consent_contact: number;
  current_country: string | null;
  nationality: string | null;
  residence_country: string | null;
  /** The staff account working on the case (added by the case-work migration). */
  assigned_to: string | null;
  /** The earlier report this one repeats, when its status is `duplicate`. */
  duplicate_of: string | null;
  /** 1 while the case is open (see `inQueue`), kept with every status change: the queue's index. */
  in_queue: Generated<number>;
  /** What the queue shows at a glance (migration 0017, `reportGlanceColumns`): flags set, comma-separated. */
  safety_flags: Generated<string>;
  loss_amount: number | null;
  loss_currency: string | null;
  loss_other_currencies: Generated<number>;
  /** The story's first line, encrypted on its own (`storyLineContext`). */
  story_line_enc: string | null;
  /** 1 once the glance columns follow from the content; 0 for a row older than them, -1 for one unreadable. */
  glance_version: Generated<number>;
  /** The whole report content, AES-256-GCM encrypted (see FieldCipher). */
  content_enc: string;
  /** The report's indicators (value, original text, where found), encrypted: some are personal. */
  indicators_enc: string;
  created_at: string;
  updated_at: string;
  /** When the reporter withdrew the report (kept with the hotline, agencies told); null while it stands. */
  withdrawn_at: string | null;
  withdrawn_channel: string | null;
  /** `scope:key` of the request that withdrew it, so its redelivery answers as the first time. */
  withdrawal_key: string | null;
}

/**
 * The lookup side of indicators: which reports carry which value, by blind
 * index only. The values themselves are in the report row, encrypted.
 */
export interface ReportIndicatorsTable {
  id: Generated<number>;
  report_id: string;
  kind: string;
  /** Blind index of kind + normalized value: how reports sharing it are found. */
  value_hash: string;
  validity: string;
  created_at: string;
}

export interface AuditEventsTable {
  seq: Generated<number>;
  occurred_at: string;
  actor: string;
  action: string;
  report_id: string | null;
  /** JSON without personal data: what changed, never the values themselves. */
  detail: string;
}

export interface ApiTokensTable {
  id: string;
  token_hash: string;
  role: string;
  agency_id: string | null;
  label: string | null;
  created_at: string;
  revoked_at: string | null;
}

export interface IdempotencyKeysTable {
  scope: string;
  key: string;
  request_hash: string;
  report_id: string;
  /** Encrypted first response (it holds the receipt code). */
  result_enc: string;
  created_at: string;
}

export interface FoundationTables {
  reports: ReportsTable;
  report_indicators: ReportIndicatorsTable;
  audit_events: AuditEventsTable;
  api_tokens: ApiTokensTable;
  idempotency_keys: IdempotencyKeysTable;
}
