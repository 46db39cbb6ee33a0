import type { Kysely } from 'kysely';
import type { Database } from '../store/database.js';
import { decodeCursor, encodeCursor } from '../store/keyset-cursor.js';

export interface AgencyCaseEntry {
  reportId: string;
  reference: string;
  routedAt: string;
  urgent: boolean;
}

/** The list the agency API's cursors belong to. */
const agencyCasesList = 'agency-cases';

/**
 * What an agency may see, as a query to select from: the cases routed to it,
 * never one withheld for lack of consent. Every list of an agency's cases and
 * every check of one starts here, from the agency's own routing rows.
 */
export function casesRoutedTo(db: Kysely<Database>, agencyId: string) {
  return db
    .selectFrom('report_agencies')
    .innerJoin('report_routing', 'report_routing.report_id', 'report_agencies.report_id')
    .innerJoin('reports', 'reports.id', 'report_agencies.report_id')
    .where('report_agencies.agency_id', '=', agencyId)
    .where('report_routing.withheld', '=', 0);
}

/**
 * One case of an agency by its reference, or undefined. A case routed only
 * to another agency and a reference nobody has take the same single query,
 * filtered by the agency in SQL, with nothing decrypted: neither the answer
 * nor the work behind it tells the two apart.
 */
export async function findAgencyCase(
  db: Kysely<Database>,
  agencyId: string,
  reference: string,
): Promise<{ reportId: string; reference: string } | undefined> {
  return casesRoutedTo(db, agencyId)
    .select(['reports.id as reportId', 'reports.reference'])
    .where('reports.reference', '=', reference)
    .executeTakeFirst();
}

/**
 * The cases routed to one agency, newest first, a page at a time. The cursor
 * is the position of the last case returned, so a page is stable even while
 * new cases arrive. Cases withheld for lack of consent are never listed, and
 * no other agency's case can appear: the query starts from this agency's rows.
 */
export async function listAgencyCases(
  db: Kysely<Database>,
  agencyId: string,
  page: { cursor?: string; limit: number; since?: string },
): Promise<{ items: AgencyCaseEntry[]; nextCursor: string | null }> {
  let query = casesRoutedTo(db, agencyId)
    .select(['reports.id as reportId', 'reports.reference', 'report_agencies.created_at as routedAt', 'reports.urgent'])
    .orderBy('report_agencies.created_at', 'desc')
    .orderBy('report_agencies.report_id', 'desc')
    .limit(page.limit + 1);
  if (page.since) query = query.where('report_agencies.created_at', '>=', page.since);
  if (page.cursor) {
    const { at: routedAt, id: reportId } = decodeCursor(agencyCasesList, page.cursor);
    query = query.where((eb) =>
      eb.or([
        eb('report_agencies.created_at', '<', routedAt),
        eb.and([eb('report_agencies.created_at', '=', routedAt), eb('report_agencies.report_id', '<', reportId)]),
      ]),
    );
  }
  const rows = await query.execute();
  const items = rows.slice(0, page.limit).map((row) => ({ ...row, urgent: row.urgent === 1 }));
  const last = items[items.length - 1];
  const nextCursor =
    rows.length > page.limit && last
      ? encodeCursor(agencyCasesList, { tier: 0, at: last.routedAt, id: last.reportId })
      : null;
  return { items, nextCursor };
}

/** Every shareable case (consent given), oldest first, for an administrator's export. */
export async function listShareableCases(
  db: Kysely<Database>,
  options: { since?: string; limit: number },
): Promise<Array<{ reportId: string; reference: string }>> {
  let query = db
    .selectFrom('reports')
    .innerJoin('report_routing', 'report_routing.report_id', 'reports.id')
    .select(['reports.id as reportId', 'reports.reference'])
    .where('report_routing.withheld', '=', 0)
    .orderBy('reports.created_at')
    .orderBy('reports.id')
    .limit(options.limit);
  if (options.since) query = query.where('reports.created_at', '>=', options.since);
  return query.execute();
}
