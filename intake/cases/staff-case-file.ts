import type { AccountStore, StaffUser } from '../accounts/account-store.js';
import { reportsWithRecoveryAgent } from '../check/recovery-agent-flags.js';
import type { Indicator } from '../indicators/indicator.js';
import type { Report } from '../report/report-schema.js';
import type { RoutingStore } from '../routing/routing-store.js';
import { caseHistory, caseViewers, type AuditEvent } from '../store/audit-log.js';
import type { Kysely } from 'kysely';
import type { Database } from '../store/database.js';
import type { IndicatorLinks, LinkedReport } from '../store/indicator-links.js';
import type { ReportAddition, ReportFollowups, SentReporterMessage } from '../store/report-followups.js';
import type { ReportStore } from '../store/report-store.js';
import type { AgencyCaseResponse, AgencyResponses } from './agency-responses.js';
import type { CaseNote, CaseState, CaseWork } from './case-work.js';

export interface StaffCaseFileSources {
  db: Kysely<Database>;
  reports: ReportStore;
  links: IndicatorLinks;
  routing: RoutingStore;
  followups: ReportFollowups;
  caseWork: CaseWork;
  agencyResponses: AgencyResponses;
  accounts: AccountStore;
  /** Where a reply would go besides the status page. */
  chatOf: (reportId: string) => Promise<{ channel: string; reachable: boolean } | undefined>;
}

/** Everything known about a case, as hotline staff read it. */
export interface StaffCaseFile {
  state: CaseState;
  report: Report;
  indicators: Indicator[];
  linked: LinkedReport[];
  routing: Awaited<ReturnType<RoutingStore['getRouting']>>;
  deliveries: Awaited<ReturnType<RoutingStore['listDeliveries']>>;
  additions: ReportAddition[];
  messages: SentReporterMessage[];
  notes: CaseNote[];
  responses: AgencyCaseResponse[];
  history: AuditEvent[];
  viewers: Array<{ actor: string; views: number; lastAt: string }>;
  users: StaffUser[];
  chat: { channel: string; reachable: boolean } | undefined;
  /** The reporter withdrew the case (kept, agencies told): when and from where; null while it stands. */
  withdrawal: { at: string; channel: string } | null;
  /** It carries an indicator staff confirmed as a recovery agent (a fee to get money back: a second scam). */
  recoveryAgent: boolean;
}

/** Reads a whole case for the staff console (the look itself is audited by viewCase). */
export async function readStaffCaseFile(
  sources: StaffCaseFileSources,
  reportId: string,
): Promise<StaffCaseFile | undefined> {
  const [stored, state] = await Promise.all([
    sources.reports.getReportById(reportId),
    sources.caseWork.getState(reportId),
  ]);
  if (!stored || !state) return undefined;
  const [linked, routing, deliveries, additions, messages, notes, responses, history, viewers, users, chat, recovery] =
    await Promise.all([
      sources.links.linkedReports(reportId),
      sources.routing.getRouting(reportId),
      sources.routing.listDeliveries(reportId),
      sources.followups.listAdditions(reportId),
      sources.followups.listMessagesForStaff(reportId),
      sources.caseWork.listNotes(reportId),
      sources.agencyResponses.list(reportId),
      caseHistory(sources.db, reportId),
      caseViewers(sources.db, reportId),
      sources.accounts.listUsers(),
      sources.chatOf(reportId),
      reportsWithRecoveryAgent(sources.db, [reportId]),
    ]);
  return {
    state,
    report: stored.report,
    indicators: stored.indicators,
    withdrawal: stored.withdrawal,
    linked,
    routing,
    deliveries,
    additions,
    messages,
    notes,
    responses,
    history,
    viewers,
    users,
    chat,
    recoveryAgent: recovery.has(reportId),
  };
}
