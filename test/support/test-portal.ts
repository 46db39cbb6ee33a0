import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assembleChatOutbox } from '../../app/assemble-conversations.js';
import { assembleIntake, type Intake } from '../../app/assemble-intake.js';
import { assembleMessenger } from '../../app/assemble-messenger.js';
import { caseParts } from '../../app/create-portal.js';
import { createI18n, defaultLocalesDir, loadLocaleResources } from '../../intake/i18n/create-i18n.js';
import { FieldCipher } from '../../intake/crypto/field-cipher.js';
import { authenticateApiToken, createApiToken } from '../../intake/store/api-tokens.js';
import { isDatabaseReachable } from '../../intake/store/open-database.js';
import type { CaseRouter } from '../../intake/routing/routing-plan.js';
import { describeRouting } from '../../intake/routing/describe-routing.js';
import { loadAgencyDirectory } from '../../intake/routing/load-agency-directory.js';
import type { ReportStore } from '../../intake/store/report-store.js';
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

/**
 * The JSON API over a real, fresh database, exercised through app.request():
 * the case parts built by the composition root's caseParts, over an intake
 * with the test's own router.
 */
export async function createTestPortal(
  kind: 'sqlite' | 'postgres' = 'sqlite',
  options: { router?: CaseRouter } = {},
): Promise<TestPortal> {
  const database = await createTestDatabase(kind);
  const dataDir = mkdtempSync(join(tmpdir(), 'reportline-api-'));
  const intake = assembleIntake({
    db: database.db,
    cipher: new FieldCipher(randomBytes(32)),
    dataDir,
    ...(options.router ? { router: options.router } : {}),
  });
  const { reports } = intake;
  const { token } = await createApiToken(database.db, { role: 'admin', label: 'test' });
  const unexpectedErrors: unknown[] = [];
  const cases = caseParts({
    ...intake,
    i18n: testI18n,
    directory,
    // No chat runs here: a message reaches the reporter's status page only.
    messenger: assembleMessenger({ intake, outbox: assembleChatOutbox(intake), channels: [] }),
    dataDir,
    deliveriesQueued: () => {},
  });
  const app = createPortalApp({
    reports,
    links: intake.links,
    cases,
    authenticate: (candidate) => authenticateApiToken(database.db, candidate),
    isDatabaseReachable: () => isDatabaseReachable(database.db),
    i18n: testI18n,
    describeRouting: (decision, audience) => describeRouting(decision, audience, { directory, i18n: testI18n }),
    onUnexpectedError: (error) => unexpectedErrors.push(error),
  });
  return {
    app,
    database,
    reports,
    intake,
    adminToken: token,
    unexpectedErrors,
    dispose: async () => {
      await database.dispose();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
