import { normalizeReportReference } from '../report/reference-codes.js';
import type { ReportStatus } from '../report/report-schema.js';
import { caseNoteContext } from './add-case-note.js';
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

/**
 * A case as hotline staff work on it: who has it, its status (and the case
 * it repeats), and the notes they keep for each other. Changes are made by
 * the use cases beside it (assign-case.ts, change-case-status.ts,
 * add-case-note.ts), each in one audited transaction.
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
      body: this.cipher.decrypt(row.body_enc, caseNoteContext(reportId)),
      createdAt: row.created_at,
    }));
  }
}
