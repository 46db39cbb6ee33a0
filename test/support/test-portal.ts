import { randomBytes } from 'node:crypto';
import { createI18n, defaultLocalesDir, loadLocaleResources } from '../../intake/i18n/create-i18n.js';
import { FieldCipher } from '../../intake/crypto/field-cipher.js';
import { authenticateApiToken, createApiToken } from '../../intake/store/api-tokens.js';
import { isDatabaseReachable } from '../../intake/store/open-database.js';
import type { CaseRouter } from '../../intake/routing/routing-plan.js';
import { explainRouting } from '../../intake/routing/explain-routing.js';
import { loadAgencyDirectory } from '../../intake/routing/load-agency-directory.js';
import type { RoutingDecision } from '../../intake/routing/route-report.js';
import type { ReportStore } from '../../intake/store/report-store.js';
import { assembleIntake, type Intake } from '../../app/assemble-intake.js';
import { createPortalApp } from '../../portal/app.js';
import { createTestDatabase, type TestDatabase } from './test-databases.js';

export const testI18n = createI18n(loadLocaleResources(defaultLocalesDir));
const directory = loadAgencyDirectory();

export interface TestPortal {
  app: ReturnType<typeof createPortalApp>;
  database: TestDatabase;
  reports: ReportStore;
  intake: Intake;
  adminToken: string;
  unexpectedErrors: unknown[];
  dispose(): Promise<void>;
}

/** The real portal over a real, fresh database, exercised through app.request(). */
export async function createTestPortal(
  kind: 'sqlite' | 'postgres' = 'sqlite',
  options: { router?: CaseRouter; retryDelivery?: (deliveryId: string, actor: string) => Promise<boolean> } = {},
): Promise<TestPortal> {
  const database = await createTestDatabase(kind);
  const intake = assembleIntake({
    db: database.db,
    cipher: new FieldCipher(randomBytes(32)),
    ...(options.router ? { router: options.router } : {}),
  });
  const { reports } = intake;
  const { token } = await createApiToken(database.db, { role: 'admin', label: 'test' });
  const unexpectedErrors: unknown[] = [];
  const app = createPortalApp({
    db: database.db,
    reports,
    links: intake.links,
    routing: intake.routing,
    authenticate: (candidate) => authenticateApiToken(database.db, candidate),
    isDatabaseReachable: () => isDatabaseReachable(database.db),
    i18n: testI18n,
    ...(options.retryDelivery ? { retryDelivery: options.retryDelivery } : {}),
    describeRouting: (decision, language) =>
      explainRouting(decision as RoutingDecision, directory, testI18n.getFixedT(language, 'routing'), language),
    onUnexpectedError: (error) => unexpectedErrors.push(error),
  });
  return { app, database, reports, intake, adminToken: token, unexpectedErrors, dispose: () => database.dispose() };
}
