import { newReceiptCode, normalizeReceiptCode } from '../report/reference-codes.js';
import { StoreBase } from './store-base.js';
import { newTimeOrderedId } from './time-ordered-id.js';

export interface StoredDraft {
  id: string;
  /** The code the reporter keeps to continue on another day or device. */
  resumeCode: string;
  /** What the channel saved (the web form's values); the store does not look inside. */
  content: unknown;
  version: number;
  status: 'open' | 'submitted';
  reportId: string | null;
  updatedAt: string;
  /**
   * For a sent draft: the channel's tag of the browser session that sent it
   * (a keyed hash, never the session itself), so only that session is shown
   * the receipt code.
   */
  sentBy?: string;
}

export class DraftConflictError extends Error {
  readonly code = 'draft.conflict';
}

/** An abandoned draft is deleted this long after its last change. */
export const draftLifetimeMs = 30 * 24 * 60 * 60_000;
/** A sent draft stays (without its content) long enough to show the receipt again in the same visit. */
export const submittedDraftLifetimeMs = 24 * 60 * 60_000;

const resumeScope = 'draft-resume';
const contentContext = (id: string) => `draft:${id}:content`;
const maxConflictRetries = 5;

/**
 * Reports being written in the web form. Each step is saved as it is sent;
 * the reporter gets a resume code (the same shape as a receipt code, 60
 * random bits) that opens the draft again anywhere. Drafts are encrypted and
 * deleted once abandoned; a sent draft keeps no content, only which report
 * it became.
 */
export class ReportDraftStore extends StoreBase {
  async create(content: unknown): Promise<StoredDraft> {
    const id = newTimeOrderedId();
    const resumeCode = newReceiptCode();
    const at = this.now();
    await this.db
      .insertInto('report_drafts')
      .values({
        id,
        resume_hash: this.cipher.blindIndex(resumeScope, resumeCode),
        content_enc: this.cipher.encryptJson({ resumeCode, content }, contentContext(id)),
        version: 1,
        status: 'open',
        report_id: null,
        created_at: at.toISOString(),
        updated_at: at.toISOString(),
        expires_at: new Date(at.getTime() + draftLifetimeMs).toISOString(),
      })
      .execute();
    return { id, resumeCode, content, version: 1, status: 'open', reportId: null, updatedAt: at.toISOString() };
  }

  /** The draft, or undefined when there is none or it has expired. */
  async load(id: string): Promise<StoredDraft | undefined> {
    const row = await this.db
      .selectFrom('report_drafts')
      .selectAll()
      .where('id', '=', id)
      .where('expires_at', '>', this.now().toISOString())
      .executeTakeFirst();
    if (!row) return undefined;
    const { resumeCode, content, sentBy } = this.cipher.decryptJson<{
      resumeCode: string;
      content: unknown;
      sentBy?: string;
    }>(row.content_enc, contentContext(row.id));
    return {
      id: row.id,
      resumeCode,
      content,
      version: row.version,
      status: row.status as StoredDraft['status'],
      reportId: row.report_id,
      updatedAt: row.updated_at,
      ...(sentBy ? { sentBy } : {}),
    };
  }

  /**
   * The open draft a resume code opens, as the reporter typed it (any case,
   * spaces, O for 0). Once the draft is sent its code opens nothing: whoever
   * sees a resume code later must not reach the report's receipt.
   */
  async findByResumeCode(typed: string): Promise<string | undefined> {
    const code = normalizeReceiptCode(typed);
    if (!code) return undefined;
    const row = await this.db
      .selectFrom('report_drafts')
      .select('id')
      .where('resume_hash', '=', this.cipher.blindIndex(resumeScope, code))
      .where('status', '=', 'open')
      .where('expires_at', '>', this.now().toISOString())
      .executeTakeFirst();
    return row?.id;
  }

  /**
   * Applies a change to an open draft's content and saves it. Another save in
   * between (a second tab) is not overwritten: the change is applied again on
   * top of it.
   */
  async update(id: string, change: (content: unknown) => unknown): Promise<StoredDraft> {
    for (let attempt = 0; ; attempt += 1) {
      const draft = await this.load(id);
      if (!draft || draft.status !== 'open') throw new DraftConflictError('the draft is gone or already sent');
      const content = change(draft.content);
      const at = this.now();
      const result = await this.db
        .updateTable('report_drafts')
        .set({
          content_enc: this.cipher.encryptJson({ resumeCode: draft.resumeCode, content }, contentContext(id)),
          version: draft.version + 1,
          updated_at: at.toISOString(),
          expires_at: new Date(at.getTime() + draftLifetimeMs).toISOString(),
        })
        .where('id', '=', id)
        .where('version', '=', draft.version)
        .where('status', '=', 'open')
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 1)
        return { ...draft, content, version: draft.version + 1, updatedAt: at.toISOString() };
      if (attempt >= maxConflictRetries) throw new DraftConflictError('the draft kept changing');
    }
  }

  /**
   * The draft became a report: its content is wiped, its resume code stops
   * working, and it expires soon. `sentBy` tags the browser session that
   * sent it (see StoredDraft.sentBy); a draft already marked keeps its tag.
   */
  async markSubmitted(id: string, reportId: string, sentBy?: string): Promise<void> {
    const at = this.now();
    const row = await this.db.selectFrom('report_drafts').select('content_enc').where('id', '=', id).executeTakeFirst();
    if (!row) return;
    const stored = this.cipher.decryptJson<{ resumeCode: string; sentBy?: string }>(
      row.content_enc,
      contentContext(id),
    );
    const tag = stored.sentBy ?? sentBy;
    await this.db
      .updateTable('report_drafts')
      .set((eb) => ({
        content_enc: this.cipher.encryptJson(
          { resumeCode: stored.resumeCode, content: null, ...(tag ? { sentBy: tag } : {}) },
          contentContext(id),
        ),
        status: 'submitted',
        report_id: reportId,
        version: eb('version', '+', 1),
        updated_at: at.toISOString(),
        expires_at: new Date(at.getTime() + submittedDraftLifetimeMs).toISOString(),
      }))
      .where('id', '=', id)
      .execute();
  }

  /** Deletes expired drafts; returns how many. */
  async purgeExpired(): Promise<number> {
    const result = await this.db
      .deleteFrom('report_drafts')
      .where('expires_at', '<=', this.now().toISOString())
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
