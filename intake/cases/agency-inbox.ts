import type { Kysely } from 'kysely';
import { casesRoutedTo } from '../delivery/agency-cases.js';
import type { Database } from '../store/database.js';

export interface InboxEntry {
  reportId: string;
  reference: string;
  urgent: boolean;
  status: string;
  category: string | null;
  role: string;
  routedAt: string;
  decision: string | null;
  caseNumber: string | null;
}

/**
 * An agency's inbox: its cases, urgent first, then the newest, a page at a
 * time: what `casesRoutedTo` lets the agency see, with its own answers.
 */
export async function listAgencyInbox(
  db: Kysely<Database>,
  agencyId: string,
  page: { limit: number; offset: number },
): Promise<{ entries: InboxEntry[]; more: boolean }> {
  const rows = await casesRoutedTo(db, agencyId)
    .leftJoin('agency_case_states', (join) =>
      join
        .onRef('agency_case_states.report_id', '=', 'report_agencies.report_id')
        .onRef('agency_case_states.agency_id', '=', 'report_agencies.agency_id'),
    )
    .select([
      'reports.id as reportId',
      'reports.reference',
      'reports.urgent',
      'reports.status',
      'reports.category',
      'report_agencies.role',
      'report_agencies.created_at as routedAt',
      'agency_case_states.decision',
      'agency_case_states.case_number as caseNumber',
    ])
    .orderBy('reports.urgent', 'desc')
    .orderBy('report_agencies.created_at', 'desc')
    .orderBy('report_agencies.report_id', 'desc')
    .limit(page.limit + 1)
    .offset(page.offset)
    .execute();
  return {
    entries: rows.slice(0, page.limit).map((row) => ({ ...row, urgent: row.urgent === 1 })),
    more: rows.length > page.limit,
  };
}
