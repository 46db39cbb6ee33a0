import { Hono } from 'hono';
import type { i18n } from 'i18next';
import type { Kysely } from 'kysely';
import { findAgencyCase, InvalidCursorError, listAgencyCases } from '../../intake/delivery/agency-cases.js';
import { buildCaseDocument, type CaseDocumentSources } from '../../intake/delivery/case-document.js';
import { exportCases, exportFormats, type ExportFormat } from '../../intake/delivery/exports/export-cases.js';
import { normalizeReportReference } from '../../intake/report/reference-codes.js';
import type { Database } from '../../intake/store/database.js';
import { apiError } from './api-error.js';
import { requireToken, type Authenticate, type PrincipalVariables } from './bearer-auth.js';

export interface AgencyApiDependencies {
  db: Kysely<Database>;
  sources: CaseDocumentSources;
  authenticate: Authenticate;
  i18n: i18n;
  now?: () => Date;
}

const maxPageSize = 100;

/**
 * The agencies' side of the API: the cases routed to the calling agency, a
 * page at a time, and exports. An agency token only ever reaches its own
 * agency's cases; asking for another's answers 404, exactly as for a case that
 * does not exist, so nothing is learned about other agencies' work.
 */
export function createAgencyApi({ db, sources, authenticate, i18n, now = () => new Date() }: AgencyApiDependencies) {
  const api = new Hono<{ Variables: PrincipalVariables }>();

  api.get('/agency/cases', requireToken(authenticate, i18n, ['agency']), async (c) => {
    const agencyId = c.get('principal').agencyId!;
    const limitText = c.req.query('limit');
    const limit = limitText === undefined ? 50 : Number(limitText);
    if (!Number.isInteger(limit) || limit < 1 || limit > maxPageSize) {
      return apiError(c, i18n, 400, 'invalid_query', [{ path: 'limit', code: 'too_big', message: `a whole number from 1 to ${maxPageSize}` }]);
    }
    let page;
    try {
      page = await listAgencyCases(db, agencyId, { limit, ...(c.req.query('cursor') ? { cursor: c.req.query('cursor')! } : {}) });
    } catch (error) {
      if (error instanceof InvalidCursorError) {
        return apiError(c, i18n, 400, 'invalid_query', [{ path: 'cursor', code: 'invalid_value', message: error.message }]);
      }
      throw error;
    }
    const cases = [];
    for (const entry of page.items) {
      const document = await buildCaseDocument(sources, entry.reportId, agencyId);
      if (document) cases.push(document);
    }
    return c.json({ cases, nextCursor: page.nextCursor });
  });

  api.get('/agency/cases/:reference', requireToken(authenticate, i18n, ['agency']), async (c) => {
    const principal = c.get('principal');
    const reference = normalizeReportReference(c.req.param('reference'));
    // Found (or not) by one query filtered by the agency: another agency's case costs what a missing one does.
    const found = reference ? await findAgencyCase(db, principal.agencyId!, reference) : undefined;
    const document = found ? await buildCaseDocument(sources, found.reportId, principal.agencyId!) : undefined;
    if (!found || !document) return apiError(c, i18n, 404, 'not_found');
    await sources.reports.recordReportViewed(found.reportId, `token:${principal.tokenId}`);
    return c.json(document);
  });

  api.get('/exports/cases', requireToken(authenticate, i18n, ['admin', 'agency']), async (c) => {
    const principal = c.get('principal');
    const format = c.req.query('format') ?? 'json';
    if (!(exportFormats as readonly string[]).includes(format)) {
      return apiError(c, i18n, 400, 'invalid_query', [{ path: 'format', code: 'invalid_value', message: `one of: ${exportFormats.join(', ')}` }]);
    }
    const since = c.req.query('since');
    if (since !== undefined && Number.isNaN(Date.parse(since))) {
      return apiError(c, i18n, 400, 'invalid_query', [{ path: 'since', code: 'invalid_format', message: 'an ISO 8601 date or time' }]);
    }
    const result = await exportCases(db, sources, {
      format: format as ExportFormat,
      agencyId: principal.role === 'agency' ? principal.agencyId : null,
      ...(since ? { since: new Date(since).toISOString() } : {}),
      now: now(),
    });
    c.header('Content-Type', result.contentType);
    c.header('Content-Disposition', `attachment; filename="${result.fileName}"`);
    c.header('Cache-Control', 'no-store');
    return c.body(result.body);
  });

  return api;
}
