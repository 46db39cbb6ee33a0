import type { Report } from '../report/report-schema.js';
import type { Evidence, ReportAddition } from '../store/report-followups.js';

/** Every file of a case: those sent with the report, then those the reporter added later. */
export function caseEvidence(report: Pick<Report, 'evidence'>, additions: ReportAddition[]): Evidence[] {
  return [...report.evidence, ...additions.flatMap((addition) => addition.evidence)];
}
