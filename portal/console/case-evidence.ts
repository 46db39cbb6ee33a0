import type { Report } from '../../intake/report/report-schema.js';
import type { Evidence, ReportAddition } from '../../intake/store/report-followups.js';

/** Every file of a case: those sent with the report, then those the reporter added later. */
export function caseEvidence(report: Pick<Report, 'evidence'>, additions: ReportAddition[]): Evidence[] {
  return [...report.evidence, ...additions.flatMap((addition) => addition.evidence)];
}
