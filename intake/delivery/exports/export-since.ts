import { z } from 'zod';

/**
 * The start of an export (`?since=`, `--since`): an ISO 8601 calendar date or a date and time with its offset,
 * and nothing else. `Date.parse` alone takes far more and reads it silently as something else: `since=1` or
 * `Dec 1` as 2001, `2026-02-31` as 3 March, and `99999-01-01` as the year 99999, whose ISO form (`+099999-…`)
 * sorts before every stored time, so the export held every case instead of none.
 */
export const exportSinceSchema = z.union([z.iso.date(), z.iso.datetime({ offset: true })]);

/** The moment an export starts from, as the ISO string the store compares with; undefined when not ISO 8601. */
export function exportSinceInstant(text: string): string | undefined {
  return exportSinceSchema.safeParse(text).success ? new Date(text).toISOString() : undefined;
}
