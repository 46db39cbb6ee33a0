import { authenticateApiToken } from '../intake/store/api-tokens.js';
import { isDatabaseReachable } from '../intake/store/open-database.js';
import { emergencyContactsFor } from '../intake/routing/emergency-contacts.js';
import { correctRouting } from '../intake/routing/routing-correction.js';
import { planRouting } from '../intake/routing/case-router.js';
import { agencyName, explainRouting } from '../intake/routing/explain-routing.js';
import { decisionChosenByStaff } from '../intake/routing/staff-routing.js';
import type { ConsoleDependencies } from '../portal/console/console-dependencies.js';
import type { RoutingDecision } from '../intake/routing/route-report.js';
import { createPortalApp } from '../portal/app.js';
import { describeStoredRouting } from '../intake/routing/describe-stored-routing.js';
import { chatEvidenceLimits, formEvidenceLimits } from './assemble-conversations.js';
import type { Logger } from './logger.js';
import type { Services } from './open-services.js';

/** A stored routing decision in sentences, in a reader's language. */
function routingExplainer(services: Services) {
  return (decision: unknown, language: string) =>
    explainRouting(
      decision as RoutingDecision,
      services.directory,
      services.i18n.getFixedT(language, 'routing'),
      language,
    );
}

/** What the staff console and the agency inbox are built from. */
export function consoleDependencies(services: Services): ConsoleDependencies {
  const { directory } = services;
  return {
    db: services.db,
    cipher: services.cipher,
    i18n: services.i18n,
    accounts: services.accounts,
    reports: services.reports,
    followups: services.followups,
    links: services.links,
    routing: services.routing,
    caseWork: services.caseWork,
    agencyResponses: services.agencyResponses,
    messenger: services.messenger,
    agencies: [...directory.agencies.values()]
      .map((agency) => ({ id: agency.id, country: agency.country }))
      .sort((a, b) => (a.country ?? '~').localeCompare(b.country ?? '~') || a.id.localeCompare(b.id)),
    agencyName: (agencyId, language) => agencyName(directory, agencyId, language),
    describeRouting: routingExplainer(services),
    correctRouting: async (reportId, choice, actor) => {
      const state = await services.caseWork.getState(reportId);
      if (!state) return;
      const plan = planRouting(
        decisionChosenByStaff(choice, { urgent: state.urgent, withheld: !state.consentShare }),
        directory,
      );
      await correctRouting(services.db, services.cipher, reportId, plan, { actor, at: new Date() });
      // Deliveries to an agency just added go out at once.
      services.dispatcher.nudge();
    },
    retryDelivery: (deliveryId, actor) => services.dispatcher.retry(deliveryId, actor),
    evidenceDir: services.config.dataDir,
    trustProxy: services.config.trustProxy,
  };
}

/** Wires the portal to the opened services; shared by the server and the tests. */
export function createPortal(services: Services, logger: Logger) {
  const consoleParts = consoleDependencies(services);
  return createPortalApp({
    db: services.db,
    reports: services.reports,
    links: services.links,
    routing: services.routing,
    authenticate: (token) => authenticateApiToken(services.db, token),
    isDatabaseReachable: () => isDatabaseReachable(services.db),
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
    ignoredIndicators: services.config.ignoredIndicators,
    exportMarking: services.config.exportMarking,
    emergencyContacts: (country, language) =>
      emergencyContactsFor(services.directory, country, services.i18n.getFixedT(language, 'routing'), language),
    statusPage: {
      followups: services.followups,
      cipher: services.cipher,
      evidence: { dir: services.config.dataDir, limits: chatEvidenceLimits(services.config.evidenceMaxBytes) },
      trustProxy: services.config.trustProxy,
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
      describeRouting: (reportId, language) =>
        describeStoredRouting(services.routing, services.directory, services.i18n, reportId, language),
      trustProxy: services.config.trustProxy,
      newDraftsPerClientPerHour: services.config.publicWritesPerHour,
      ...(services.config.publicBaseUrl ? { publicBaseUrl: services.config.publicBaseUrl } : {}),
    },
    webChat: {
      runner: services.conversationRunner,
      cipher: services.cipher,
      i18n: services.i18n,
      evidence: { dir: services.config.dataDir, limits: chatEvidenceLimits(services.config.evidenceMaxBytes) },
      trustProxy: services.config.trustProxy,
      newChatsPerClientPerHour: services.config.publicWritesPerHour,
    },
    console: consoleParts,
    retryDelivery: consoleParts.retryDelivery,
    describeRouting: routingExplainer(services),
    onUnexpectedError: (error, route) => logger.failure('http.request', error, { route }),
  });
}
