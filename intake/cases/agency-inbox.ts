import type { Kysely } from 'kysely';
import { casesRoutedTo } from '../delivery/agency-cases.js';
import type { Database } from '../store/database.js';
import { decodeCursor, encodeCursor } from '../store/keyset-cursor.js';

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

/** The list the inbox's cursors belong to. */
const inboxList = 'agency-inbox';

/**
 * An agency's inbox: its cases, urgent first, then the newest, a page at a
 * time: what `casesRoutedTo` lets the agency see, with its own answers.
 * Paged by position (the keyset cursor), so a page stays put while cases arrive.
 */
export async function listAgencyInbox(
  db: Kysely<Database>,
  agencyId: string,
  page: { limit: number; cursor?: string },
): Promise<{ entries: InboxEntry[]; nextCursor: string | null }> {
  let query = casesRoutedTo(db, agencyId)
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
    .limit(page.limit + 1);
  if (page.cursor) {
    const { tier: urgent, at: routedAt, id } = decodeCursor(inboxList, page.cursor);
    // After the cursor in (urgent desc, routed desc, id desc) order.
    query = query.where((eb) =>
      eb.or([
        eb('reports.urgent', '<', urgent),
        eb.and([eb('reports.urgent', '=', urgent), eb('report_agencies.created_at', '<', routedAt)]),
        eb.and([
          eb('reports.urgent', '=', urgent),
          eb('report_agencies.created_at', '=', routedAt),
          eb('report_agencies.report_id', '<', id),
        ]),
      ]),
    );
  }
  const rows = await query.execute();
  const entries = rows.slice(0, page.limit).map((row) => ({ ...row, urgent: row.urgent === 1 }));
  const last = entries[entries.length - 1];
  const nextCursor =
    rows.length > page.limit && last
      ? encodeCursor(inboxList, { tier: last.urgent ? 1 : 0, at: last.routedAt, id: last.reportId })
      : null;
  return { entries, nextCursor };
}

/** An agency's cases, oldest routed first, as ids and references (for a feed of all of them). */
export async function listAgencyCaseHandles(
  db: Kysely<Database>,
  agencyId: string,
  limit: number,
): Promise<Array<{ reportId: string; reference: string }>> {
  return casesRoutedTo(db, agencyId)
    .select(['reports.id as reportId', 'reports.reference'])
    .orderBy('report_agencies.created_at')
    .orderBy('report_agencies.report_id')
    .limit(limit)
    .execute();
}
