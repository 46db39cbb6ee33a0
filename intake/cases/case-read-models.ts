import { listAgencyCases } from '../delivery/agency-cases.js';
import { buildCaseDocument, type CaseDocument } from '../delivery/case-document.js';
import { exportCases, maxExportCases, type ExportFormat } from '../delivery/exports/export-cases.js';
import type { ExportMarking } from '../delivery/exports/export-marking.js';
import { searchAuditTrail } from '../store/audit-log.js';
import { listAgencyCaseHandles, listAgencyInbox } from './agency-inbox.js';
import type { CaseActor } from './case-actor.js';
import { readCaseQueue, type QueueFilters } from './case-queue.js';
import type { CaseDependencies } from './case-transaction.js';
import { listDeliveries, type DeliveryListStatus } from './delivery-list.js';
import { readStaffCaseFile, type StaffCaseFileSources } from './staff-case-file.js';

/** What the read models read from: the case's stores (as the staff case file reads them), on the case's database. */
export interface CaseReadModelParts extends CaseDependencies, StaffCaseFileSources {}

/**
 * What the portal reads about cases, without the database: the queue, a
 * case as staff or an agency sees it, the audit trail, an agency's lists and
 * exports, the delivery outbox. None of them changes anything; a look at a
 * case's personal data goes through the `view` use case, which audits it.
 */
export function createCaseReadModels(parts: CaseReadModelParts) {
  const { db } = parts;
  const sources = { reports: parts.reports, links: parts.links, routing: parts.routing };
  return {
    queue: (viewer: CaseActor, filters: QueueFilters, page: { limit: number; cursor?: string }) =>
      readCaseQueue({ db, cipher: parts.cipher, links: parts.links }, viewer, filters, page),
    staffCaseFile: (reportId: string) => readStaffCaseFile({ ...parts, ...sources }, reportId),
    /** The case as one agency sees it (undefined when it is not routed to that agency). */
    agencyCase: (reportId: string, agencyId: string | null): Promise<CaseDocument | undefined> =>
      buildCaseDocument(sources, reportId, agencyId),
    agencyAnswers: (reportId: string, agencyId?: string) => parts.agencyResponses.list(reportId, agencyId),
    additions: (reportId: string) => parts.followups.listAdditions(reportId),
    agencyInbox: (agencyId: string, page: { limit: number; cursor?: string }) => listAgencyInbox(db, agencyId, page),
    agencyCasesPage: (agencyId: string, page: { cursor?: string; limit: number }) =>
      listAgencyCases(db, agencyId, page),
    /** Every case of an agency (up to what one export holds), for its MISP feed. */
    allAgencyCases: (agencyId: string) => listAgencyCaseHandles(db, agencyId, maxExportCases),
    exportCases: (options: {
      format: ExportFormat;
      agencyId: string | null;
      since?: string;
      now: Date;
      hxl?: boolean;
      marking?: ExportMarking;
    }) => exportCases(db, sources, options),
    auditTrail: (filter: { reportId?: string; action?: string; beforeSeq?: number; limit: number }) =>
      searchAuditTrail(db, filter),
    deliveries: (status: DeliveryListStatus) => listDeliveries(db, status),
    /** A whole report, decrypted, with what links and routes it: the partner API's view of a case. */
    reportFile: async (reportId: string) => {
      const stored = await parts.reports.getReportById(reportId);
      if (!stored) return undefined;
      const [linkedReports, routing, deliveries] = await Promise.all([
        parts.links.linkedReports(reportId),
        parts.routing.getRouting(reportId),
        parts.routing.listDeliveries(reportId),
      ]);
      return { stored, linkedReports, routing, deliveries };
    },
  };
}

export type CaseReadModels = ReturnType<typeof createCaseReadModels>;
