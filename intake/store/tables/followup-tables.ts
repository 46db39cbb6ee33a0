import type { Generated } from 'kysely';

/** Something a reporter added to their report after submitting it (text, evidence or both). */
export interface ReportAdditionsTable {
  id: Generated<number>;
  report_id: string;
  channel: string;
  actor: string;
  /** Encrypted { text?, evidence[] }: what a reporter adds is as personal as the report. */
  content_enc: string;
  created_at: string;
  /** The message the addition came from: a redelivery adds nothing twice. */
  idempotency_scope: string | null;
  idempotency_key: string | null;
}

/** A message from hotline staff or an agency to the reporter, shown on their status page or chat. */
export interface ReporterMessagesTable {
  id: Generated<number>;
  report_id: string;
  author: string;
  body_enc: string;
  created_at: string;
  /** sent | failed | not_sent (no chat, or no consent to be contacted); null before the case-work migration. */
  chat_status: string | null;
  /** Why sending through the chat failed, without personal data. */
  chat_error: string | null;
}

export interface FollowupTables {
  report_additions: ReportAdditionsTable;
  reporter_messages: ReporterMessagesTable;
}
