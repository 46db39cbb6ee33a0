import type { Kysely } from 'kysely';
import type { Clock } from '../intake/clock.js';
import type { FieldCipher } from '../intake/crypto/field-cipher.js';
import type { CaseRouter } from '../intake/routing/routing-plan.js';
import { AccountStore } from '../intake/accounts/account-store.js';
import { AgencyResponses } from '../intake/cases/agency-responses.js';
import { ReportAmendments } from '../intake/cases/amend-report.js';
import { CaseWork } from '../intake/cases/case-work.js';
import { withdrawReport, type WithdrawalRequest, type WithdrawalResult } from '../intake/cases/withdraw-report.js';
import { requestCorrection, type CorrectionRequest } from '../intake/cases/request-correction.js';
import { systemClock } from '../intake/clock.js';
import { RoutingStore } from '../intake/routing/routing-store.js';
import { IgnoredIndicators } from '../intake/indicators/ignored-indicators.js';
import type { Database } from '../intake/store/database.js';
import { IndicatorLinks } from '../intake/store/indicator-links.js';
import { ReportDraftStore } from '../intake/store/report-drafts.js';
import { ReportFollowups } from '../intake/store/report-followups.js';
import { ReportStore } from '../intake/store/report-store.js';
import { holdsEvidence } from '../intake/evidence/evidence-files.js';
import type { Checks } from '../intake/check/check-types.js';
import type { CheckSettings } from '../intake/check/check-service.js';
import { createChecks, type CheckStaffParts } from '../intake/check/create-checks.js';
import type { IndicatorKind } from '../intake/indicators/indicator.js';
import type { RateLimits } from '../intake/limits/rate-limits.js';
import type { UrgentClockPolicy } from '../intake/urgent/urgent-clock-policy.js';
import type { FreezeRequestSettings } from '../intake/mules/freeze-request-settings.js';

export interface Intake {
  db: Kysely<Database>;
  cipher: FieldCipher;
  reports: ReportStore;
  followups: ReportFollowups;
  /** Corrections and additions to a stored report, from any channel: versioned, audited, re-linked, re-routed. */
  amendments: ReportAmendments;
  /** A reporter withdrawing a stored report: kept and marked withdrawn, agencies told by `case.withdrawn`. */
  withdrawals: { withdraw(request: WithdrawalRequest): Promise<WithdrawalResult> };
  /** What a reporter took back from a stored report that staff must remove: a note and audit event on the case. */
  corrections: { request(request: CorrectionRequest): Promise<{ recorded: boolean }> };
  /** Reports being written in the web form. */
  drafts: ReportDraftStore;
  links: IndicatorLinks;
  routing: RoutingStore;
  /** What hotline staff change on a case: assignment, status, notes. */
  caseWork: CaseWork;
  /** What agencies answer on the cases routed to them. */
  agencyResponses: AgencyResponses;
  /** Staff and agency accounts and their sessions. */
  accounts: AccountStore;
  /** "Check before you pay": the public check, disputes and the partner range (intake/check/). */
  checks: Checks;
  /** The staff side of the checks: confirmations, disputes, the safelist, the lookups' counts. */
  checkStaff: CheckStaffParts;
  /** The urgent clock's windows, for the case actions that start it again (reopen, let go); unset, none restarts. */
  urgentClock?: UrgentClockPolicy | undefined;
}

/**
 * The intake's stores over one database and one key. The server, the CLI, the
 * tests and the benchmarks all assemble it the same way, here.
 */
export function assembleIntake(parts: {
  db: Kysely<Database>;
  cipher: FieldCipher;
  router?: CaseRouter;
  ignored?: IgnoredIndicators;
  /** After a report is stored (with how many deliveries it queued), amended or withdrawn (without). */
  afterSubmit?: (written?: { deliveries: number; urgentClockStarted: boolean }) => void;
  now?: Clock;
  /** The data folder whose `evidence/` holds the files reporters sent; without it, reports may name none. */
  dataDir?: string;
  /** The deployment's shared rate limits, for the checks; without them the checks count in this process. */
  limits?: RateLimits;
  /** REPORTLINE_CHECK_MIN_REPORTERS and the checks' limits; the defaults without them. */
  checkSettings?: CheckSettings;
  /** The deployment's ignored indicators, which a check never flags either. */
  safelisted?: ReadonlyArray<{ kind: IndicatorKind; value: string }>;
  /** The clock an urgent report (at submission or by an amendment) starts; without it, none starts. */
  urgentClock?: UrgentClockPolicy;
  /** When a payment makes a freeze request (REPORTLINE_FREEZE_REQUEST_DAYS/HOURS); the defaults without it. */
  freezeRequests?: FreezeRequestSettings;
}): Intake {
  const { db, cipher, dataDir } = parts;
  const now = parts.now ? { now: parts.now } : {};
  const evidence = dataDir
    ? { holdsEvidence: (file: Parameters<typeof holdsEvidence>[1]) => holdsEvidence(dataDir, file) }
    : {};
  const amendments = new ReportAmendments({
    db,
    cipher,
    ...now,
    ...(parts.router ? { router: parts.router } : {}),
    ...(parts.ignored ? { ignored: parts.ignored } : {}),
    // An amendment's deliveries go out as a new report's do: the same nudge.
    ...(parts.afterSubmit ? { afterAmend: parts.afterSubmit } : {}),
    ...(parts.urgentClock ? { urgentClock: parts.urgentClock } : {}),
    ...(parts.freezeRequests ? { freezeRequests: parts.freezeRequests } : {}),
    ...evidence,
  });
  // A reporter's addition of text is an amendment too: its indicators are indexed, linked and routed.
  const followups = new ReportFollowups({ db, cipher, ...now, ...evidence, amendments });
  const checks = createChecks({
    db,
    cipher,
    now: parts.now ?? systemClock,
    limits: parts.limits,
    settings: parts.checkSettings,
    deploymentSafelist: parts.safelisted,
  });
  return {
    db,
    cipher,
    reports: new ReportStore({
      db,
      cipher,
      ...now,
      ...(parts.router ? { router: parts.router } : {}),
      ...(parts.afterSubmit ? { afterSubmit: parts.afterSubmit } : {}),
      ...(parts.urgentClock ? { urgentClock: parts.urgentClock } : {}),
      ...(parts.freezeRequests ? { freezeRequests: parts.freezeRequests } : {}),
      ...evidence,
    }),
    followups,
    amendments,
    withdrawals: {
      withdraw: (request) =>
        withdrawReport(
          {
            db,
            cipher,
            now: parts.now ?? systemClock,
            // The agencies' `case.withdrawn` deliveries go out as a new report's do: the same nudge.
            ...(parts.afterSubmit ? { afterWithdraw: parts.afterSubmit } : {}),
          },
          request,
        ),
    },
    corrections: {
      request: (request) => requestCorrection({ db, cipher, now: parts.now ?? systemClock }, request),
    },
    drafts: new ReportDraftStore({ db, cipher, ...now }),
    links: new IndicatorLinks({ db, cipher, ignored: parts.ignored ?? new IgnoredIndicators() }),
    routing: new RoutingStore({ db, cipher }),
    caseWork: new CaseWork({ db, cipher, ...now }),
    agencyResponses: new AgencyResponses({ db, cipher, ...now }),
    accounts: new AccountStore({ db, cipher, ...now }),
    checks: checks.checks,
    checkStaff: checks.staff,
    urgentClock: parts.urgentClock,
  };
}
