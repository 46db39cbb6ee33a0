import { authenticateApiToken } from '../intake/store/api-tokens.js';
import { isDatabaseReachable } from '../intake/store/open-database.js';
import { emergencyContactsFor } from '../intake/routing/emergency-contacts.js';
import { explainRouting } from '../intake/routing/explain-routing.js';
import type { RoutingDecision } from '../intake/routing/route-report.js';
import { createPortalApp } from '../portal/app.js';
import { describeStoredRouting } from '../intake/routing/describe-stored-routing.js';
import { chatEvidenceLimits, formEvidenceLimits } from './assemble-conversations.js';
import type { Logger } from './logger.js';
import type { Services } from './open-services.js';

/** Wires the portal to the opened services; shared by the server and the tests. */
export function createPortal(services: Services, logger: Logger) {
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
            onError: (error: unknown) =>
              logger.error('LINE events failed', { error: error instanceof Error ? error.name : 'non-error thrown' }),
          },
        }
      : {}),
    emergencyContacts: (country, language) =>
      emergencyContactsFor(services.directory, country, services.i18n.getFixedT(language, 'routing'), language),
    statusPage: {
      followups: services.followups,
      cipher: services.cipher,
      evidence: { dir: services.config.dataDir, limits: chatEvidenceLimits(services.config.evidenceMaxBytes) },
    },
    reportForm: {
      drafts: services.drafts,
      cipher: services.cipher,
      evidence: { dir: services.config.dataDir, limits: formEvidenceLimits(services.config.evidenceMaxBytes) },
      emergencyContacts: (country, nationality, language) =>
        emergencyContactsFor(services.directory, country, services.i18n.getFixedT(language, 'routing'), language, nationality),
      describeRouting: (reportId, language) => describeStoredRouting(services.routing, services.directory, services.i18n, reportId, language),
      trustProxy: services.config.trustProxy,
      ...(services.config.publicBaseUrl ? { publicBaseUrl: services.config.publicBaseUrl } : {}),
    },
    webChat: {
      runner: services.conversationRunner,
      cipher: services.cipher,
      i18n: services.i18n,
      evidence: { dir: services.config.dataDir, limits: chatEvidenceLimits(services.config.evidenceMaxBytes) },
    },
    retryDelivery: (deliveryId, actor) => services.dispatcher.retry(deliveryId, actor),
    describeRouting: (decision, language) =>
      explainRouting(decision as RoutingDecision, services.directory, services.i18n.getFixedT(language, 'routing'), language),
    onUnexpectedError: (error, route) =>
      logger.error('unexpected error', {
        route,
        error: error instanceof Error ? `${error.name}: ${(error as { code?: string }).code ?? 'no code'}` : 'non-error thrown',
      }),
  });
}
