import type { Generated } from 'kysely';

/** An e-mail queued to be sent by the mail outbox worker (migration 0031). */
export interface MailOutboxTable {
  id: string;
  /** `supervisor_alert` or `freeze_request` (intake/mail/mail-kinds.ts). */
  kind: string;
  /** What makes two queueings the same e-mail: one row per alert, one per freeze request. */
  dedupe_key: string;
  report_id: string;
  /** The freeze request it sends, for its page's status. */
  freeze_request_id: string | null;
  /** `{ to, subject, text }`, encrypted and bound to the row (`mail:<id>`). */
  message_enc: string;
  /** JSON of identifiers only (never personal data), carried into the audit events of its sending. */
  audit_detail: string;
  /** Who made it be sent: `user:<id>` for a press, `urgent-clock` for an alert. */
  queued_by: string;
  /** `pending`, `sent`, or `failed` (given up after the last try, or refused for good). */
  status: string;
  attempts: Generated<number>;
  next_attempt_at: string;
  /** While a worker holds it; after a crash it is taken again once this passes. */
  lease_until: string | null;
  /** The last failure's stable code (`smtp.451`, `smtp.ECONNREFUSED`); never the server's words. */
  last_error: string | null;
  created_at: string;
  sent_at: string | null;
}

export interface MailOutboxTables {
  mail_outbox: MailOutboxTable;
}
