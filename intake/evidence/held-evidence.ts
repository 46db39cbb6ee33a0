import type { Evidence } from '../store/report-followups.js';
import { ReportValidationError } from '../report/validate-report.js';

/** Whether the server holds a file it stored itself (see holdsEvidence in evidence-files.ts). */
export type HoldsEvidence = (file: Pick<Evidence, 'sha256' | 'mediaType' | 'size'>) => boolean;

/** Without an evidence folder the intake holds no file, so any report naming one is refused. */
export const holdsNoEvidence: HoldsEvidence = () => false;

/**
 * Refuses a report or an addition that names a file the server did not
 * receive and store itself, with the field path of each such file.
 */
export function requireHeldEvidence(files: readonly Evidence[], holds: HoldsEvidence, path = 'evidence'): void {
  const issues = files.flatMap((file, index) =>
    holds(file)
      ? []
      : [
          {
            path: `${path}.${index}`,
            code: 'evidence_not_held',
            message: 'No file with this sha256, type and size was uploaded; upload it first (POST /api/v1/evidence)',
          },
        ],
  );
  if (issues.length > 0) throw new ReportValidationError(issues);
}
