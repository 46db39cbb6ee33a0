import type { z } from 'zod';
import { reportInputSchema, type ReportContent } from './report-schema.js';

export interface ValidationIssue {
  /** Dotted path of the field, e.g. `losses.payments.0.currency`; empty for the whole body. */
  path: string;
  /** Stable machine code (zod's issue code, e.g. `invalid_value`, `invalid_type`, `unrecognized_keys`). */
  code: string;
  message: string;
}

export class ReportValidationError extends Error {
  readonly code = 'report.invalid';

  constructor(readonly issues: ValidationIssue[]) {
    super(`the report is invalid: ${issues.map((issue) => `${issue.path || '(body)'}: ${issue.message}`).join('; ')}`);
  }
}

export function toValidationIssues(error: z.ZodError): ValidationIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    // A refinement names its own stable code (e.g. invalid_characters).
    code: issue.code === 'custom' && typeof issue.params?.code === 'string' ? issue.params.code : issue.code,
    message: issue.message,
  }));
}

/** Validates what a channel sent and fills every skipped section with its default. */
export function parseReportInput(input: unknown): ReportContent {
  const result = reportInputSchema.safeParse(input);
  if (!result.success) throw new ReportValidationError(toValidationIssues(result.error));
  return result.data;
}
