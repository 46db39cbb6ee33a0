import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { i18n } from 'i18next';
import type { ValidationIssue } from '../../intake/report/validate-report.js';
import { visitorLanguage } from '../http/request-language.js';

/**
 * The one shape of every JSON API error: a stable `code` for programs, a
 * `message` in the caller's language (Accept-Language) for people, and, for
 * bad input, each problem with the path of its field.
 */
export function apiError(
  c: Context,
  i18n: i18n,
  status: ContentfulStatusCode,
  code: string,
  issues?: ValidationIssue[],
): Response {
  const language = visitorLanguage(c);
  const message = i18n.getFixedT(language, 'api')(`errors.${code}`);
  return c.json({ error: { code, message, ...(issues ? { issues } : {}) } }, status);
}
