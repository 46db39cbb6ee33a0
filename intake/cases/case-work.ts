import { normalizeReportReference } from '../report/reference-codes.js';
import { inQueue } from './case-queue.js';
import { reportStatuses, type ReportStatus } from '../report/report-schema.js';
import { appendAuditEvent } from '../store/audit-log.js';
import { StoreBase } from '../store/store-base.js';

export interface CaseNote {
  id: number;
  author: string;
  body: string;
  createdAt: string;
}

export interface CaseState {
  reportId: string;
  reference: string;
  status: ReportStatus;
  urgent: boolean;
  assignedTo: string | null;
  duplicateOf: { reportId: string; reference: string } | null;
  consentShare: boolean;
  consentContact: boolean;
  channel: string;
  language: string;
  createdAt: string;
  updatedAt: string;
}

export class CaseWorkError extends Error {
  constructor(
    readonly code:
      | 'case.not_found'
      | 'case.invalid_status'
      | 'case.duplicate_needs_original'
      | 'case.duplicate_of_itself'
      | 'case.empty_note',
    message: string,
  ) {
    super(message);
  }
}

const noteContext = (reportId: string) => `report:${reportId}:note`;

/**
 * What hotline staff change on a case: who works on it, its status (a
 * duplicate names the case it repeats), and the notes they keep for each
 * other. Every change is audited in the same transaction and moves the
 * case's `updated_at`.
 */
export class CaseWork extends StoreBase {
  async getState(reportId: string): Promise<CaseState | undefined> {
    const row = await this.db
      .selectFrom('reports')
      .leftJoin('reports as original', 'original.id', 'reports.duplicate_of')
      .select([
        'reports.id',
        'reports.reference',
        'reports.status',
        'reports.urgent',
        'reports.assigned_to',
        'reports.duplicate_of',
        'original.reference as original_reference',
        'reports.consent_share',
        'reports.consent_contact',
        'reports.channel',
        'reports.language',
        'reports.created_at',
        'reports.updated_at',
      ])
      .where('reports.id', '=', reportId)
      .executeTakeFirst();
    if (!row) return undefined;
    return {
      reportId: row.id,
      reference: row.reference,
      status: row.status as ReportStatus,
      urgent: row.urgent === 1,
      assignedTo: row.assigned_to,
      duplicateOf:
        row.duplicate_of && row.original_reference
          ? { reportId: row.duplicate_of, reference: row.original_reference }
          : null,
      consentShare: row.consent_share === 1,
      consentContact: row.consent_contact === 1,
      channel: row.channel,
      language: row.language,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }

  /** The id of the report a reference (typed any way) names. */
  async reportIdOf(reference: string): Promise<string | undefined> {
    const canonical = normalizeReportReference(reference);
    if (!canonical) return undefined;
    const row = await this.db.selectFrom('reports').select('id').where('reference', '=', canonical).executeTakeFirst();
    return row?.id;
  }

  /** Gives the case to a staff member (or to nobody). */
  async assign(reportId: string, userId: string | null, actor: string): Promise<void> {
    const at = this.now();
    await this.db.transaction().execute(async (trx) => {
      const result = await trx
        .updateTable('reports')
        .set({ assigned_to: userId, updated_at: at.toISOString() })
        .where('id', '=', reportId)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) !== 1) throw new CaseWorkError('case.not_found', 'no such case');
      await appendAuditEvent(trx, { actor, action: 'case.assigned', reportId, at, detail: { assignedTo: userId } });
    });
  }

  /**
   * Moves the case to a status. `duplicate` needs the reference of the case
   * it repeats; any other status clears that.
   */
  async changeStatus(reportId: string, status: string, actor: string, duplicateOfReference?: string): Promise<void> {
    if (!(reportStatuses as readonly string[]).includes(status))
      throw new CaseWorkError('case.invalid_status', `unknown status ${status}`);
    let duplicateOf: string | null = null;
    if (status === 'duplicate') {
      duplicateOf = duplicateOfReference ? ((await this.reportIdOf(duplicateOfReference)) ?? null) : null;
      if (!duplicateOf)
        throw new CaseWorkError('case.duplicate_needs_original', 'a duplicate names the case it repeats');
      if (duplicateOf === reportId) throw new CaseWorkError('case.duplicate_of_itself', 'a case cannot repeat itself');
    }
    await this.#moveStatus(reportId, status as ReportStatus, actor, { duplicateOf });
  }

  /** Moves a case on to a status only from the statuses given (an agency's acceptance does not reopen a closed case). */
  async advanceStatus(
    reportId: string,
    to: ReportStatus,
    from: readonly ReportStatus[],
    actor: string,
  ): Promise<boolean> {
    return this.#moveStatus(reportId, to, actor, { onlyFrom: from });
  }

  /**
   * The one place a case's status changes: with the queue flag that must
   * follow it, the duplicate it names (or none), and its audit event.
   */
  async #moveStatus(
    reportId: string,
    to: ReportStatus,
    actor: string,
    options: { duplicateOf?: string | null; onlyFrom?: readonly ReportStatus[] },
  ): Promise<boolean> {
    const at = this.now();
    const duplicateOf = options.duplicateOf ?? null;
    return this.db.transaction().execute(async (trx) => {
      const before = await trx.selectFrom('reports').select('status').where('id', '=', reportId).executeTakeFirst();
      if (!before) {
        if (options.onlyFrom) return false;
        throw new CaseWorkError('case.not_found', 'no such case');
      }
      if (options.onlyFrom && !options.onlyFrom.includes(before.status as ReportStatus)) return false;
      await trx
        .updateTable('reports')
        .set({ status: to, in_queue: inQueue(to), duplicate_of: duplicateOf, updated_at: at.toISOString() })
        .where('id', '=', reportId)
        .execute();
      await appendAuditEvent(trx, {
        actor,
        action: 'case.status_changed',
        reportId,
        at,
        detail: { from: before.status, to, ...(duplicateOf ? { duplicateOf } : {}) },
      });
      return true;
    });
  }

  async addNote(reportId: string, body: string, author: string): Promise<void> {
    const text = body.trim();
    if (!text) throw new CaseWorkError('case.empty_note', 'a note needs text');
    const at = this.now();
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('case_notes')
        .values({
          report_id: reportId,
          author,
          body_enc: this.cipher.encrypt(text, noteContext(reportId)),
          created_at: at.toISOString(),
        })
        .execute();
      await trx.updateTable('reports').set({ updated_at: at.toISOString() }).where('id', '=', reportId).execute();
      await appendAuditEvent(trx, { actor: author, action: 'case.note_added', reportId, at });
    });
  }

  async listNotes(reportId: string): Promise<CaseNote[]> {
    const rows = await this.db
      .selectFrom('case_notes')
      .selectAll()
      .where('report_id', '=', reportId)
      .orderBy('id')
      .execute();
    return rows.map((row) => ({
      id: Number(row.id),
      author: row.author,
      body: this.cipher.decrypt(row.body_enc, noteContext(reportId)),
      createdAt: row.created_at,
    }));
  }
}
