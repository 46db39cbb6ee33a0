import type { Migration, MigrationProvider } from 'kysely';
import * as foundation from './0001-foundation.js';
import * as followups from './0002-followups.js';
import * as routingDelivery from './0003-routing-delivery.js';
import * as conversations from './0005-conversations.js';
import * as accounts from './0006-accounts.js';
import * as inboundEvents from './0007-inbound-events.js';
import * as reportDrafts from './0008-report-drafts.js';
import * as caseWork from './0009-case-work.js';
import * as signInAttempts from './0010-sign-in-attempts.js';
import * as chatOutbox from './0011-chat-outbox.js';
import * as reportVersions from './0012-report-versions.js';
import * as withdrawals from './0013-withdrawals.js';
import * as queueGlance from './0017-queue-glance.js';
import * as endedVisits from './0021-ended-visits.js';
import * as checks from './0022-checks.js';
import * as rateLimitCounters from './0020-rate-limit-counters.js';
import * as inboundEventClaims from './0019-inbound-event-claims.js';
import * as urgentClocks from './0025-urgent-clocks.js';
import * as compounds from './0024-compounds.js';
import * as inboundEventOrder from './0027-inbound-event-order.js';
import * as muleAccounts from './0026-mule-accounts.js';
import * as dashboardIndexes from './0028-dashboard-indexes.js';
import * as sendPacing from './0029-send-pacing.js';
import * as dashboardWeekFigures from './0030-dashboard-week-figures.js';
import * as mailOutbox from './0031-mail-outbox.js';
import * as urgentRoundReason from './0032-urgent-round-reason.js';
import * as freezeRequestLeaseDropped from './0033-freeze-request-lease-dropped.js';
import * as freezeRequestSentVia from './0034-freeze-request-sent-via.js';
import * as dashboardKeptLists from './0035-dashboard-kept-lists.js';
import * as dashboardOpenUrgentCounts from './0036-dashboard-open-urgent-counts.js';
import * as compoundScansDue from './0037-compound-scans-due.js';

/**
 * Migrations are listed here rather than read from the folder at run time, so
 * they work the same under tsx, a bundler or a test runner. Names sort in the
 * order they must run; never rename or edit one that has shipped.
 */
const migrations: Record<string, Migration> = {
  '0001-foundation': foundation,
  '0002-followups': followups,
  '0003-routing-delivery': routingDelivery,
  '0005-conversations': conversations,
  '0006-accounts': accounts,
  '0007-inbound-events': inboundEvents,
  '0008-report-drafts': reportDrafts,
  '0009-case-work': caseWork,
  '0010-sign-in-attempts': signInAttempts,
  '0011-chat-outbox': chatOutbox,
  '0012-report-versions': reportVersions,
  '0013-withdrawals': withdrawals,
  '0017-queue-glance': queueGlance,
  '0021-ended-visits': endedVisits,
  '0022-checks': checks,
  '0020-rate-limit-counters': rateLimitCounters,
  '0019-inbound-event-claims': inboundEventClaims,
  '0025-urgent-clocks': urgentClocks,
  '0024-compounds': compounds,
  '0027-inbound-event-order': inboundEventOrder,
  '0026-mule-accounts': muleAccounts,
  '0028-dashboard-indexes': dashboardIndexes,
  '0029-send-pacing': sendPacing,
  '0030-dashboard-week-figures': dashboardWeekFigures,
  '0031-mail-outbox': mailOutbox,
  '0032-urgent-round-reason': urgentRoundReason,
  '0033-freeze-request-lease-dropped': freezeRequestLeaseDropped,
  '0034-freeze-request-sent-via': freezeRequestSentVia,
  '0035-dashboard-kept-lists': dashboardKeptLists,
  '0036-dashboard-open-urgent-counts': dashboardOpenUrgentCounts,
  '0037-compound-scans-due': compoundScansDue,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
