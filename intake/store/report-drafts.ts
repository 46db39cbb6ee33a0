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
  /**
   * Which browser binding is in force: a browser holds the draft through a
   * cookie naming this number, and the quick exit moves it on, so a cookie
   * copied before the exit opens nothing (the resume code binds again).
   */
  binding: number;
  /** Whether a page has shown the reporter the resume code (a draft nobody can resume is deleted by the exit). */
  resumeShown: boolean;
}

/** What a draft's row keeps encrypted: the code to show again, the content, and the browser binding. */
interface DraftEnvelope {
  resumeCode: string;
  content: unknown;
  sentBy?: string;
  /** Absent on drafts saved before the exit ended bindings: 0. */
  binding?: number;
  /** Absent on drafts saved before it was recorded, which had every page show the code: shown. */
  resumeShown?: boolean;
}

/** What the quick exit did to a draft a browser held. */
export type DraftBindingEnded = 'unbound' | 'deleted' | 'not_bound';

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
        content_enc: this.#seal(id, { resumeCode, content, binding: 0, resumeShown: false }),
        version: 1,
        status: 'open',
        report_id: null,
        created_at: at.toISOString(),
        updated_at: at.toISOString(),
        expires_at: new Date(at.getTime() + draftLifetimeMs).toISOString(),
      })
      .execute();
    return {
      id,
      resumeCode,
      content,
      version: 1,
      status: 'open',
      reportId: null,
      updatedAt: at.toISOString(),
      binding: 0,
      resumeShown: false,
    };
  }

  #seal(id: string, envelope: DraftEnvelope): string {
    return this.cipher.encryptJson(envelope, contentContext(id));
  }

  #open(id: string, sealed: string): DraftEnvelope {
    return this.cipher.decryptJson<DraftEnvelope>(sealed, contentContext(id));
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
    const { resumeCode, content, sentBy, binding, resumeShown } = this.#open(row.id, row.content_enc);
    return {
      id: row.id,
      resumeCode,
      content,
      version: row.version,
      status: row.status as StoredDraft['status'],
      reportId: row.report_id,
      updatedAt: row.updated_at,
      ...(sentBy ? { sentBy } : {}),
      binding: binding ?? 0,
      resumeShown: resumeShown ?? true,
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
          content_enc: this.#seal(id, {
            resumeCode: draft.resumeCode,
            content,
            binding: draft.binding,
            resumeShown: draft.resumeShown,
          }),
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
    const stored = this.#open(id, row.content_enc);
    const tag = stored.sentBy ?? sentBy;
    await this.db
      .updateTable('report_drafts')
      .set((eb) => ({
        content_enc: this.#seal(id, {
          resumeCode: stored.resumeCode,
          content: null,
          ...(tag ? { sentBy: tag } : {}),
          ...(stored.binding !== undefined ? { binding: stored.binding } : {}),
          ...(stored.resumeShown !== undefined ? { resumeShown: stored.resumeShown } : {}),
        }),
        status: 'submitted',
        report_id: reportId,
        version: eb('version', '+', 1),
        updated_at: at.toISOString(),
        expires_at: new Date(at.getTime() + submittedDraftLifetimeMs).toISOString(),
      }))
      .where('id', '=', id)
      .execute();
  }

  /**
   * Records that a page showed the reporter this draft's resume code. Until
   * then the quick exit deletes the draft, as nobody could ever open it again.
   */
  async markResumeShown(id: string): Promise<void> {
    await this.#rewriteEnvelope(id, (envelope) =>
      envelope.resumeShown === false ? { ...envelope, resumeShown: true } : undefined,
    );
  }

  /**
   * The quick exit, for the draft a browser held through `binding`: that
   * browser, and every copy of its cookie, no longer opens the draft. An open
   * draft whose resume code was shown stays, reachable only by that code (the
   * reporter's deliberate way back); one whose code was never shown, or one
   * already sent (its code is dead, its report stays), is deleted. A binding
   * no longer in force (the draft was resumed elsewhere since) changes nothing.
   */
  async endBrowserBinding(id: string, binding: number): Promise<DraftBindingEnded> {
    for (let attempt = 0; attempt <= maxConflictRetries; attempt += 1) {
      const draft = await this.load(id);
      if (!draft || draft.binding !== binding) return 'not_bound';
      if (draft.status === 'submitted' || !draft.resumeShown) {
        await this.db.deleteFrom('report_drafts').where('id', '=', id).where('version', '=', draft.version).execute();
      } else {
        await this.db
          .updateTable('report_drafts')
          .set({
            content_enc: this.#seal(id, {
              resumeCode: draft.resumeCode,
              content: draft.content,
              binding: draft.binding + 1,
              resumeShown: true,
            }),
            version: draft.version + 1,
          })
          .where('id', '=', id)
          .where('version', '=', draft.version)
          .execute();
      }
      const after = await this.load(id);
      if (!after) return 'deleted';
      if (after.binding !== binding) return 'unbound';
      // Saved from another tab in between: try again on top of that save.
    }
    throw new DraftConflictError('the draft kept changing');
  }

  /** Rewrites a draft's envelope in place; `change` returning undefined leaves it as it is. */
  async #rewriteEnvelope(id: string, change: (envelope: DraftEnvelope) => DraftEnvelope | undefined): Promise<void> {
    for (let attempt = 0; attempt <= maxConflictRetries; attempt += 1) {
      const row = await this.db
        .selectFrom('report_drafts')
        .select(['content_enc', 'version'])
        .where('id', '=', id)
        .executeTakeFirst();
      const changed = row ? change(this.#open(id, row.content_enc)) : undefined;
      if (!row || !changed) return;
      const result = await this.db
        .updateTable('report_drafts')
        .set({ content_enc: this.#seal(id, changed), version: row.version + 1 })
        .where('id', '=', id)
        .where('version', '=', row.version)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 1) return;
    }
    throw new DraftConflictError('the draft kept changing');
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
