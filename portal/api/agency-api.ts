import type { ExportMarking } from '../../intake/delivery/exports/export-marking.js';
import { Hono } from 'hono';
import type { i18n } from 'i18next';
import { z } from 'zod';
import { systemClock, type Clock } from '../../intake/clock.js';
import type { CaseActor } from '../../intake/cases/case-actor.js';
import type { CaseReadModels } from '../../intake/cases/case-read-models.js';
import type { CaseUseCases } from '../../intake/cases/case-use-cases.js';
import { InvalidCursorError } from '../../intake/store/keyset-cursor.js';
import { exportFormats } from '../../intake/delivery/exports/export-cases.js';
import { exportSinceInstant, exportSinceSchema } from '../../intake/delivery/exports/export-since.js';
import { apiError } from './api-error.js';
import { requireToken, type Authenticate, type PrincipalVariables } from './bearer-auth.js';

export interface AgencyApiDependencies {
  cases: CaseUseCases;
  views: CaseReadModels;
  authenticate: Authenticate;
  i18n: i18n;
  /** The TLP and PAP every export carries (the deployment's choice). */
  marking?: ExportMarking;
  now?: Clock;
}

const maxPageSize = 100;

/** `GET /agency/cases`: how many cases a page holds, and where the page before stopped. */
export const agencyCasesQuerySchema = z.object({
  // As `Number()` reads it: `limit=20` and `limit=2e1` alike; anything else is refused.
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(maxPageSize)
    .default(50)
    .meta({ description: `How many cases a page holds, a whole number from 1 to ${maxPageSize}.` }),
  cursor: z
    .string()
    .optional()
    .meta({ description: 'The `nextCursor` of the page before; leave it out for the first page.' }),
});

/** `GET /agency/cases/:reference`. */
export const agencyCaseParamsSchema = z.object({
  reference: z
    .string()
    .meta({ description: 'The report reference, e.g. `RL-7K3M-Q9TX`, in any case, with or without dashes.' }),
});

/** `GET /exports/cases`: the file's format, and the earliest case it holds. */
export const caseExportQuerySchema = z.object({
  format: z
    .enum(exportFormats)
    .default('json')
    .meta({ description: `The file's format, one of: ${exportFormats.join(', ')}.` }),
  since: exportSinceSchema.optional().meta({
    description:
      'Only cases from this moment on: an ISO 8601 date or time, e.g. `2025-09-01` or `2025-09-01T00:00:00Z`.',
  }),
  hxl: z.enum(['0', '1']).optional().meta({
    description: 'With `format=csv` only: `1` adds a second row of HXL hashtags (hxlstandard.org), one per column.',
  }),
});

/**
 * The agencies' side of the API: the cases routed to the calling agency, a
 * page at a time, and exports. An agency token only ever reaches its own
 * agency's cases; asking for another's answers 404, exactly as for a case that
 * does not exist, so nothing is learned about other agencies' work.
 */
export function createAgencyApi({
  cases,
  views,
  authenticate,
  i18n,
  marking,
  now = systemClock,
}: AgencyApiDependencies) {
  const api = new Hono<{ Variables: PrincipalVariables }>();

  api.get('/agency/cases', requireToken(authenticate, i18n, ['agency']), async (c) => {
    const agencyId = c.get('principal').agencyId!;
    const query = agencyCasesQuerySchema.safeParse(c.req.query());
    // Only the limit can be wrong here: a cursor is any text until it is decoded.
    if (!query.success) {
      return apiError(c, i18n, 400, 'invalid_query', [
        { path: 'limit', code: 'too_big', message: `a whole number from 1 to ${maxPageSize}` },
      ]);
    }
    const { limit, cursor } = query.data;
    let page;
    try {
      page = await views.agencyCasesPage(agencyId, { limit, ...(cursor ? { cursor } : {}) });
    } catch (error) {
      if (error instanceof InvalidCursorError) {
        return apiError(c, i18n, 400, 'invalid_query', [
          { path: 'cursor', code: 'invalid_value', message: error.message },
        ]);
      }
      throw error;
    }
    const cases = [];
    for (const entry of page.items) {
      const document = await views.agencyCase(entry.reportId, agencyId);
      if (document) cases.push(document);
    }
    return c.json({ cases, nextCursor: page.nextCursor });
  });

  api.get('/agency/cases/:reference', requireToken(authenticate, i18n, ['agency']), async (c) => {
    const principal = c.get('principal');
    const actor: CaseActor = { auditId: `token:${principal.tokenId}`, role: 'agency', agencyId: principal.agencyId };
    // Found (or not) by one query filtered by the agency: another agency's case costs what a missing one does.
    const seen = await cases.view(actor, agencyCaseParamsSchema.parse(c.req.param()).reference, (found) =>
      views.agencyCase(found.reportId, principal.agencyId!),
    );
    if (!seen) return apiError(c, i18n, 404, 'not_found');
    const document = seen.view;
    return c.json(document);
  });

  api.get('/exports/cases', requireToken(authenticate, i18n, ['admin', 'agency']), async (c) => {
    const principal = c.get('principal');
    const query = caseExportQuerySchema.safeParse(c.req.query());
    // One problem at a time, the format first, as a reader fixes them.
    const wrong = (path: string) => !query.success && query.error.issues.some((issue) => issue.path[0] === path);
    if (wrong('format')) {
      return apiError(c, i18n, 400, 'invalid_query', [
        { path: 'format', code: 'invalid_value', message: `one of: ${exportFormats.join(', ')}` },
      ]);
    }
    if (wrong('since'))
      return apiError(c, i18n, 400, 'invalid_query', [
        { path: 'since', code: 'invalid_format', message: 'an ISO 8601 date or time' },
      ]);
    if (!query.success)
      return apiError(c, i18n, 400, 'invalid_query', [{ path: 'hxl', code: 'invalid_value', message: '0 or 1' }]);
    const { format, since, hxl } = query.data;
    if (hxl === '1' && format !== 'csv') {
      return apiError(c, i18n, 400, 'invalid_query', [
        { path: 'hxl', code: 'invalid_value', message: 'only with format=csv' },
      ]);
    }
    const result = await views.exportCases({
      format,
      hxl: hxl === '1',
      agencyId: principal.role === 'agency' ? principal.agencyId : null,
      ...(since ? { since: exportSinceInstant(since) } : {}),
      now: now(),
      ...(marking ? { marking } : {}),
    });
    c.header('Content-Type', result.contentType);
    c.header('Content-Disposition', `attachment; filename="${result.fileName}"`);
    c.header('Cache-Control', 'no-store');
    return c.body(result.body);
  });

  return api;
}
