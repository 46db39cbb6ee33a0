import type { i18n } from 'i18next';
import type { LanguageCode } from '../i18n/languages.js';
import type { AgencyDirectory } from '../routing/load-agency-directory.js';
import type { LinkOverride } from '../store/indicator-links.js';
import type { ReportFollowups } from '../store/report-followups.js';
import type { ReportStore } from '../store/report-store.js';
import { addCaseNote } from './add-case-note.js';
import { decideReferral, recordAgencyAction, setAgencyCaseNumber } from './agency-answers.js';
import { assignCase } from './assign-case.js';
import type { CaseActor } from './case-actor.js';
import { findCase, type CaseHandle } from './case-access.js';
import type { CaseDependencies } from './case-transaction.js';
import { changeCaseStatus } from './change-case-status.js';
import { correctCaseRouting } from './correct-case-routing.js';
import { setCaseLink } from './link-cases.js';
import { replyToReporter, resendReply } from './reply-to-reporter.js';
import type { ReporterMessages } from './reporter-messages.js';
import { retryDelivery } from './retry-delivery.js';
import { triageCase, type TriageChoice } from './triage-case.js';
import { viewCase } from './view-case.js';
import { viewEvidence } from './view-evidence.js';
import { withdrawReport, type WithdrawalRequest } from './withdraw-report.js';

export interface CaseUseCaseParts extends CaseDependencies {
  i18n: i18n;
  directory: AgencyDirectory;
  /** The deployment's language: what is written for every staff member to read (a routing note) is in it. */
  deploymentLanguage: LanguageCode;
  agencyName: (agencyId: string, language: LanguageCode) => string;
  messenger: ReporterMessages;
  reports: ReportStore;
  followups: ReportFollowups;
  dataDir: string;
  /** Told after a commit that queued deliveries (a retry, an agency added): they go out at once. */
  deliveriesQueued: () => void;
}

/**
 * Every action on a case, each one function running one transaction with
 * its audit event: the only way the portal changes a case, or looks at one.
 */
export function createCaseUseCases(parts: CaseUseCaseParts) {
  const dependencies: CaseDependencies = {
    db: parts.db,
    cipher: parts.cipher,
    now: parts.now,
    urgentClock: parts.urgentClock,
  };
  const answers = { messenger: parts.messenger, i18n: parts.i18n, agencyName: parts.agencyName };
  return {
    find: (actor: CaseActor, reference: string): Promise<CaseHandle | undefined> =>
      findCase(parts.db, actor, reference),
    view: <T>(actor: CaseActor, reference: string, load: (found: CaseHandle) => Promise<T | undefined>) =>
      viewCase(dependencies, actor, reference, load),
    viewEvidence: (actor: CaseActor, reference: string, sha256: string) =>
      viewEvidence(dependencies, parts, actor, reference, sha256),
    assign: (actor: CaseActor, reference: string, assigneeId: string | null) =>
      assignCase(dependencies, actor, reference, assigneeId),
    changeStatus: (actor: CaseActor, reference: string, change: { status: string; duplicateOf?: string | undefined }) =>
      changeCaseStatus(dependencies, actor, reference, change),
    addNote: (actor: CaseActor, reference: string, body: string) => addCaseNote(dependencies, actor, reference, body),
    setLink: (actor: CaseActor, reference: string, otherReference: string, state: LinkOverride) =>
      setCaseLink(dependencies, actor, reference, otherReference, state),
    correctRouting: (
      actor: CaseActor,
      reference: string,
      choice: { primary: string; copies: readonly string[]; reason: string },
    ) =>
      correctCaseRouting(
        dependencies,
        {
          directory: parts.directory,
          notePrefix: parts.i18n.getFixedT(parts.deploymentLanguage, 'staff')('routing.notePrefix'),
          afterCommit: parts.deliveriesQueued,
        },
        actor,
        reference,
        choice,
      ),
    reply: (actor: CaseActor, reference: string, body: string) =>
      replyToReporter(dependencies, parts.messenger, actor, reference, body),
    triage: (actor: CaseActor, reference: string, choice: TriageChoice) =>
      triageCase({ ...dependencies, i18n: parts.i18n }, parts.messenger, actor, reference, choice),
    resend: (actor: CaseActor, reference: string, messageId: number) =>
      resendReply(dependencies, parts.messenger, actor, reference, messageId),
    retryDelivery: (actor: CaseActor, deliveryId: string, reference?: string) =>
      retryDelivery(dependencies, parts.deliveriesQueued, actor, deliveryId, reference),
    decideReferral: (actor: CaseActor, reference: string, answer: { decision: string; reason?: string | undefined }) =>
      decideReferral(dependencies, answers, actor, reference, answer),
    setAgencyCaseNumber: (actor: CaseActor, reference: string, caseNumber: string) =>
      setAgencyCaseNumber(dependencies, actor, reference, caseNumber),
    recordAgencyAction: (actor: CaseActor, reference: string, record: { action: string; note?: string | undefined }) =>
      recordAgencyAction(dependencies, answers, actor, reference, record),
    /** The reporter's own withdrawal (a chat's /cancel after the report, the status page): kept, agencies told. */
    withdrawByReporter: (request: WithdrawalRequest) =>
      withdrawReport({ ...dependencies, afterWithdraw: parts.deliveriesQueued }, request),
  };
}

export type CaseUseCases = ReturnType<typeof createCaseUseCases>;
