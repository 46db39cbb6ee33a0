import type { Indicator } from '../indicators/indicator.js';
import type { ReportContent } from '../report/report-schema.js';
import { traffickingFindingOf, type TraffickingFinding } from '../report/trafficking-screening.js';
import type { IndicatorLinks } from '../store/indicator-links.js';
import type { AmendmentSummary, ReportStore } from '../store/report-store.js';
import type { RoutingDecision } from '../routing/route-report.js';
import type { RoutingStore } from '../routing/routing-store.js';

/**
 * What an agency receives for a case: the whole report (it was shared with
 * consent), its indicators, the reports it is linked to, and why it was
 * routed to this agency. Webhooks carry it as JSON; the pull API returns it.
 */
export interface CaseDocument {
  reference: string;
  createdAt: string;
  updatedAt: string;
  status: string;
  urgent: boolean;
  category: string | null;
  role: string;
  routing: RoutingDecision;
  report: ReportContent;
  indicators: Indicator[];
  linkedReports: Array<{ reference: string; shared: Array<{ kind: string; value: string }> }>;
  /**
   * Linked reports routed only to other agencies: an agency learns that its
   * case is part of a wider pattern, not what other agencies' cases say.
   */
  linkedElsewhere: number;
  /** Every amendment of the case, oldest first: which fields each version changed (the report above is the latest). */
  amendments: AmendmentSummary[];
  /** When the reporter withdrew the case (the hotline keeps it); null while it stands (always set when built). */
  withdrawnAt?: string | null;
  /**
   * The trafficking screening's finding: likely victim or not, the indicators that matched, the rule, and the
   * non-punishment principle's sources when likely; null when never offered (always set when built).
   */
  trafficking?: TraffickingFinding | null;
}

export interface CaseDocumentSources {
  reports: ReportStore;
  links: IndicatorLinks;
  routing: RoutingStore;
}

/**
 * The case as one agency sees it, or undefined when it is not routed to that
 * agency (or not shareable at all). `agencyId: null` is the whole-network view
 * an administrator exports; it too only ever includes shareable cases.
 */
export async function buildCaseDocument(
  sources: CaseDocumentSources,
  reportId: string,
  agencyId: string | null,
): Promise<CaseDocument | undefined> {
  const [stored, routing] = await Promise.all([
    sources.reports.getReportById(reportId),
    sources.routing.getRouting(reportId),
  ]);
  if (!stored || !routing || routing.withheld) return undefined;
  const agency = agencyId === null ? { role: 'all' } : routing.agencies.find((entry) => entry.agencyId === agencyId);
  if (!agency) return undefined;
  const { id, reference, status, urgent, createdAt, updatedAt, ...content } = stored.report;
  const [linked, amendments] = await Promise.all([sources.links.linkedReports(id), sources.reports.listAmendments(id)]);
  const visible =
    agencyId === null
      ? linked
      : (
          await Promise.all(
            linked.map(async (entry) =>
              (await sources.routing.isRoutedTo(entry.reportId, agencyId)) ? entry : undefined,
            ),
          )
        ).filter((entry) => entry !== undefined);
  return {
    reference,
    createdAt,
    updatedAt,
    status,
    urgent,
    category: content.incident.category ?? null,
    role: agency.role,
    routing: routing.decision,
    report: content,
    indicators: stored.indicators,
    linkedReports: visible.map((entry) => ({ reference: entry.reference, shared: entry.shared })),
    linkedElsewhere: linked.length - visible.length,
    amendments,
    withdrawnAt: stored.withdrawal?.at ?? null,
    trafficking: traffickingFindingOf(content),
  };
}
