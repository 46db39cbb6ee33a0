import { createCaseReadModels, type CaseReadModels } from '../intake/cases/case-read-models.js';
import { createCaseUseCases, type CaseUseCases } from '../intake/cases/case-use-cases.js';
import { createDashboardReadModel } from '../intake/dashboard/dashboard-read-model.js';
import { systemClock } from '../intake/clock.js';
import { fallbackLanguage } from '../intake/i18n/languages.js';
import { authenticateApiToken } from '../intake/store/api-tokens.js';
import { isDatabaseReachable } from '../intake/store/open-database.js';
import { emergencyContactsFor } from '../intake/routing/emergency-contacts.js';
import { agencyName } from '../intake/routing/display-names.js';
import { describeRouting, type DescribeRouting } from '../intake/routing/describe-routing.js';
import type { ConsoleDependencies } from '../portal/console/console-dependencies.js';
import { createPortalApp } from '../portal/app.js';
import { describeStoredRouting } from '../intake/routing/describe-stored-routing.js';
import { chatEvidenceLimits, formEvidenceLimits } from './assemble-conversations.js';
import type { Logger } from './logger.js';
import type { Services } from './open-services.js';
import { defaultExitUrl } from '../portal/public/disguise.js';
import { ConversationStore } from '../intake/store/conversation-store.js';
import { EndedVisitStore } from '../intake/store/ended-visits.js';
import { createUrgentCases } from '../intake/urgent/urgent-cases.js';
import { endBrowserVisit } from '../intake/visits/end-browser-visit.js';
import { createCompoundUseCases } from '../intake/compounds/compound-use-cases.js';
import { createMuleUseCases } from '../intake/mules/mule-use-cases.js';

/** A routing decision in sentences for a reader, worded from the deployment's directory and texts. */
function routingExplainer(services: Services): DescribeRouting {
  return (decision, audience) => describeRouting(decision, audience, services);
}

/** What the case use cases and read models are built from: the services, or a test's intake over its own router. */
export type CasePartsSources = Pick<
  Services,
  | 'db'
  | 'cipher'
  | 'i18n'
  | 'directory'
  | 'messenger'
  | 'reports'
  | 'followups'
  | 'links'
  | 'routing'
  | 'caseWork'
  | 'agencyResponses'
  | 'accounts'
  | 'urgentClock'
> & {
  /** The data folder whose `evidence/` holds the files reporters sent. */
  dataDir: string;
  /** Told when deliveries were queued (a retry, an agency added), so they go out at once. */
  deliveriesQueued: () => void;
};

/**
 * Every action on a case (the intake's use cases) and what the portal reads
 * of cases, over the opened services: the portal gets these, never the database.
 */
export function caseParts(sources: CasePartsSources): { useCases: CaseUseCases; views: CaseReadModels } {
  const { directory } = sources;
  const now = systemClock;
  return {
    useCases: createCaseUseCases({
      db: sources.db,
      cipher: sources.cipher,
      now,
      i18n: sources.i18n,
      directory,
      deploymentLanguage: fallbackLanguage,
      agencyName: (agencyId, language) => agencyName(directory, agencyId, language),
      messenger: sources.messenger,
      reports: sources.reports,
      followups: sources.followups,
      dataDir: sources.dataDir,
      deliveriesQueued: sources.deliveriesQueued,
      urgentClock: sources.urgentClock,
    }),
    views: createCaseReadModels({
      db: sources.db,
      cipher: sources.cipher,
      now,
      reports: sources.reports,
      links: sources.links,
      routing: sources.routing,
      followups: sources.followups,
      caseWork: sources.caseWork,
      agencyResponses: sources.agencyResponses,
      accounts: sources.accounts,
      chatOf: (reportId) => sources.messenger.chatOf(reportId),
    }),
  };
}

/** The case parts of the opened services: deliveries a use case queues go out at once. */
export function casePartsOf(services: Services) {
  return caseParts({
    ...services,
    dataDir: services.config.dataDir,
    deliveriesQueued: () => services.dispatcher.nudge(),
  });
}

/** What the staff console and the agency inbox are built from. */
export function consoleDependencies(
  services: Services,
  cases: { useCases: CaseUseCases; views: CaseReadModels },
): ConsoleDependencies {
  const { directory } = services;
  return {
    i18n: services.i18n,
    cipher: services.cipher,
    accounts: services.accounts,
    cases: cases.useCases,
    views: cases.views,
    links: services.links,
    agencies: [...directory.agencies.values()]
      .map((agency) => ({ id: agency.id, country: agency.country }))
      .sort((a, b) => (a.country ?? '~').localeCompare(b.country ?? '~') || a.id.localeCompare(b.id)),
    agencyName: (agencyId, language) => agencyName(directory, agencyId, language),
    describeRouting: routingExplainer(services),
    trustProxy: services.config.trustProxy,
    urgent: createUrgentCases({ db: services.db, cipher: services.cipher, now: services.now }),
    dashboard: createDashboardReadModel({
      db: services.db,
      cipher: services.cipher,
      now: services.now,
      ignoredIndicators: services.config.ignoredIndicators,
    }),
    compounds: createCompoundUseCases({
      db: services.db,
      cipher: services.cipher,
      now: systemClock,
      links: services.links,
      // A compound added or edited, or a case confirmed on one: existing reports are looked at again at once.
      matchingNeeded: () => services.compoundMatcher.nudge(),
    }),
    mules: createMuleUseCases({
      db: services.db,
      cipher: services.cipher,
      now: services.now,
      desks: directory.fraudDesks,
      i18n: services.i18n,
      mailConfigured: services.mailOutbox !== undefined,
      // The pressed request's e-mail goes out at once, not at the next poll.
      mailQueued: () => services.mailOutbox?.nudge(),
    }),
    checkStaff: services.checkStaff,
  };
}

/** Wires the portal to the opened services; shared by the server and the tests. */
export function createPortal(services: Services, logger: Logger) {
  const cases = casePartsOf(services);
  const endedVisits = new EndedVisitStore({ db: services.db, cipher: services.cipher, now: services.now });
  const visitStores = {
    drafts: services.drafts,
    conversations: new ConversationStore({ db: services.db, cipher: services.cipher, now: services.now }),
    endedVisits,
  };
  return createPortalApp({
    reports: services.reports,
    links: services.links,
    cases,
    authenticate: (token) => authenticateApiToken(services.db, token),
    isDatabaseReachable: () => isDatabaseReachable(services.db),
    readiness: () => services.readiness.check(),
    i18n: services.i18n,
    ...(services.telegram && services.config.telegram?.mode === 'webhook' && services.config.telegram.webhookSecret
      ? {
          telegram: {
            secret: services.config.telegram.webhookSecret,
            handleUpdate: (update: { update_id: number }) => services.telegram!.handleUpdate(update as never),
          },
        }
      : {}),
    ...(services.line && services.config.line
      ? {
          line: {
            channelSecret: services.config.line.channelSecret,
            record: services.line.record,
            processPending: services.line.processPending,
            onError: (error: unknown) => logger.failure('line.webhook_events', error),
          },
        }
      : {}),
    apiEvidence: { dir: services.config.dataDir, limits: chatEvidenceLimits(services.config.evidenceMaxBytes) },
    trustProxy: services.config.trustProxy,
    publicWritesPerHour: services.config.publicWritesPerHour,
    limits: services.limits,
    timeZone: services.config.timeZone,
    disguise: { exitUrl: defaultExitUrl, ...services.config.disguise },
    ignoredIndicators: services.config.ignoredIndicators,
    exportMarking: services.config.exportMarking,
    emergencyContacts: (country, language) =>
      emergencyContactsFor(services.directory, country, services.i18n.getFixedT(language, 'routing'), language),
    quickExit: {
      cipher: services.cipher,
      endVisit: (visit) => endBrowserVisit(visitStores, visit),
      onFailure: (error) => logger.failure('public.exit', error),
      now: services.now,
    },
    statusPage: {
      endedVisits,
      followups: services.followups,
      cipher: services.cipher,
      evidence: { dir: services.config.dataDir, limits: chatEvidenceLimits(services.config.evidenceMaxBytes) },
      trustProxy: services.config.trustProxy,
      now: services.now,
      limits: services.limits,
    },
    reportForm: {
      drafts: services.drafts,
      cipher: services.cipher,
      evidence: { dir: services.config.dataDir, limits: formEvidenceLimits(services.config.evidenceMaxBytes) },
      emergencyContacts: (country, nationality, language) =>
        emergencyContactsFor(
          services.directory,
          country,
          services.i18n.getFixedT(language, 'routing'),
          language,
          nationality,
        ),
      describeRoutingToReporter: (reportId, language) =>
        describeStoredRouting(services.routing, reportId, { reader: 'reporter', language }, services),
      trustProxy: services.config.trustProxy,
      newDraftsPerClientPerHour: services.config.publicWritesPerHour,
      now: services.now,
      limits: services.limits,
      ...(services.config.publicBaseUrl ? { publicBaseUrl: services.config.publicBaseUrl } : {}),
    },
    webChat: {
      runner: services.conversationRunner,
      cipher: services.cipher,
      i18n: services.i18n,
      evidence: { dir: services.config.dataDir, limits: chatEvidenceLimits(services.config.evidenceMaxBytes) },
      trustProxy: services.config.trustProxy,
      newChatsPerClientPerHour: services.config.publicWritesPerHour,
      now: services.now,
      limits: services.limits,
      endVisit: (visit) => endBrowserVisit(visitStores, visit),
      onEndVisitFailure: (error) => logger.failure('public.chat_hide', error),
    },
    console: { ...consoleDependencies(services, cases), limits: services.limits },
    checks: { checks: services.checks, cipher: services.cipher },
    checkRange: { checks: services.checks, rangePerMinute: services.config.checks.rangePerMinute },
    describeRouting: routingExplainer(services),
    onUnexpectedError: (error, route) => logger.failure('http.request', error, { route }),
  });
}
