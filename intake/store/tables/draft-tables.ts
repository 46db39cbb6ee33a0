/**
 * A report being written in the web form, saved after every step so that a
 * dropped connection or a closed tab loses nothing. Everything typed is
 * encrypted; the resume code the reporter keeps is found again by its keyed
 * hash only.
 */
export interface ReportDraftsTable {
  id: string;
  resume_hash: string;
  /** Encrypted { resumeCode, content }: the form's values as typed, and the code to show again. */
  content_enc: string;
  /** Optimistic concurrency: two tabs saving at once never overwrite each other's step. */
  version: number;
  /** open | submitted */
  status: string;
  /** The report it became; its reference and receipt code are kept with the submission's idempotency record. */
  report_id: string | null;
  created_at: string;
  updated_at: string;
  /** After this the draft is deleted: an abandoned draft does not keep someone's story forever. */
  expires_at: string;
}

export interface DraftTables {
  report_drafts: ReportDraftsTable;
}
