import { readEvidenceFile } from '../evidence/evidence-files.js';
import { appendAuditEvent } from '../store/audit-log.js';
import type { Evidence, ReportFollowups } from '../store/report-followups.js';
import type { ReportStore } from '../store/report-store.js';
import type { CaseActor } from './case-actor.js';
import { findCase } from './case-access.js';
import { caseEvidence } from './case-evidence.js';
import { inCaseTransaction, type CaseDependencies } from './case-transaction.js';

export interface EvidenceParts {
  reports: ReportStore;
  followups: ReportFollowups;
  /** The data folder whose `evidence/` holds the files. */
  dataDir: string;
}

/**
 * One evidence file of a case the actor may see (one sent with the report or
 * added later), found by its hash among the case's own files, never by a
 * path. Its bytes are handed out only once the look is in the audit log.
 */
export async function viewEvidence(
  dependencies: CaseDependencies,
  parts: EvidenceParts,
  actor: CaseActor,
  reference: string,
  sha256: string,
): Promise<{ file: Evidence; bytes: Buffer } | undefined> {
  const found = await findCase(dependencies.db, actor, reference);
  if (!found) return undefined;
  const [stored, additions] = await Promise.all([
    parts.reports.getReportById(found.reportId),
    parts.followups.listAdditions(found.reportId),
  ]);
  const file = (stored ? caseEvidence(stored.report, additions) : []).find((item) => item.sha256 === sha256);
  const bytes = file ? readEvidenceFile(parts.dataDir, file) : undefined;
  if (!file || !bytes) return undefined;
  await inCaseTransaction(dependencies, (trx, at) =>
    appendAuditEvent(trx, {
      actor: actor.auditId,
      action: 'evidence.viewed',
      reportId: found.reportId,
      at,
      detail: { sha256: file.sha256, ...(actor.role === 'agency' ? { agencyId: actor.agencyId } : {}) },
    }),
  );
  return { file, bytes };
}
