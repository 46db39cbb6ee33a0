import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { i18n } from 'i18next';
import { z } from 'zod';
import type { CaseReadModels } from '../../intake/cases/case-read-models.js';
import type { CaseUseCases } from '../../intake/cases/case-use-cases.js';
import { ReportValidationError } from '../../intake/report/validate-report.js';
import type { DescribeRouting } from '../../intake/routing/describe-routing.js';
import { IdempotencyConflictError, type ReportStore } from '../../intake/store/report-store.js';
import { visitorLanguage } from '../http/request-language.js';
import { apiError } from './api-error.js';
import { publicWriteLimit } from './public-write-limit.js';
import type { RateLimits } from '../../intake/limits/rate-limits.js';
import { requireToken, type Authenticate, type PrincipalVariables } from './bearer-auth.js';

export const maxReportBodyBytes = 1024 * 1024;

/** Printable ASCII, as the IETF Idempotency-Key draft and common gateways expect. */
const idempotencyKeyPattern = /^[\x21-\x7e]{1,200}$/;

/** `POST /reports`: the optional Idempotency-Key header. */
export const reportHeadersSchema = z.object({
  'idempotency-key': z.string().regex(idempotencyKeyPattern).optional().meta({
    description:
      'Up to 200 printable ASCII characters. A retry with the same key and the same report answers what the first did and stores nothing new; the same key with another report is refused.',
  }),
});

/** `GET /reports/:reference`. */
export const reportParamsSchema = z.object({
  reference: z.string().meta({ description: 'The report reference, e.g. `RL-7K3M-Q9TX`.' }),
});

export interface ReportsApiDependencies {
  reports: ReportStore;
  /** Reading a report back: its look audited through the `view` use case (without it, only submitting is served). */
  cases?: { useCases: Pick<CaseUseCases, 'view'>; views: Pick<CaseReadModels, 'reportFile'> } | undefined;
  describeRouting: DescribeRouting;
  authenticate: Authenticate;
  i18n: i18n;
  publicWritesPerHour: number;
  trustProxy: boolean;
  /** The deployment's shared rate limits (PostgreSQL, Redis or memory); without them each limiter counts alone. */
  limits?: RateLimits | undefined;
}

/** The partner API: submit a report, and read one back with an admin token. */
export function createReportsApi({
  reports,
  cases,
  describeRouting,
  authenticate,
  i18n,
  publicWritesPerHour,
  trustProxy,
  limits,
}: ReportsApiDependencies) {
  const api = new Hono<{ Variables: PrincipalVariables }>();

  api.post(
    '/reports',
    publicWriteLimit({ name: 'api.reports', perHour: publicWritesPerHour, trustProxy, i18n, limits }),
    bodyLimit({ maxSize: maxReportBodyBytes, onError: (c) => apiError(c, i18n, 413, 'body_too_large') }),
    async (c) => {
      const contentType = c.req.header('content-type') ?? '';
      if (!/^application\/(.+\+)?json\b/i.test(contentType)) return apiError(c, i18n, 415, 'unsupported_media_type');
      const headers = reportHeadersSchema.safeParse({ 'idempotency-key': c.req.header('idempotency-key') });
      if (!headers.success) return apiError(c, i18n, 400, 'invalid_idempotency_key');
      const idempotencyKey = headers.data['idempotency-key'];
      let body: unknown;
      try {
        body = JSON.parse(await c.req.text());
      } catch (error) {
        return apiError(c, i18n, 400, 'malformed_json', [
          { path: '', code: 'malformed_json', message: error instanceof Error ? error.message : 'not JSON' },
        ]);
      }
      try {
        const result = await reports.submitReport(body, {
          actor: 'api',
          ...(idempotencyKey ? { idempotency: { scope: 'api:reports', key: idempotencyKey } } : {}),
        });
        if (result.replayed) c.header('Idempotent-Replayed', 'true');
        return c.json({ reference: result.reference, receiptCode: result.receiptCode, urgent: result.urgent }, 201);
      } catch (error) {
        if (error instanceof ReportValidationError) return apiError(c, i18n, 400, 'invalid_report', error.issues);
        if (error instanceof IdempotencyConflictError) return apiError(c, i18n, 422, 'idempotency_key_reused');
        throw error;
      }
    },
  );

  if (cases) {
    api.get('/reports/:reference', requireToken(authenticate, i18n, ['admin']), async (c) => {
      const seen = await cases.useCases.view(
        { auditId: `token:${c.get('principal').tokenId}`, role: 'admin' },
        reportParamsSchema.parse(c.req.param()).reference,
        (found) => cases.views.reportFile(found.reportId),
      );
      if (!seen) return apiError(c, i18n, 404, 'not_found');
      const { stored, linkedReports, routing, deliveries } = seen.view;
      const language = visitorLanguage(c);
      return c.json({
        ...stored,
        linkedReports,
        routing: routing
          ? { ...routing, explanation: describeRouting(routing.decision, { reader: 'staff', language }) }
          : null,
        deliveries,
      });
    });
  }

  return api;
}
