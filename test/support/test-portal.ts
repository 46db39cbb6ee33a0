import { randomBytes } from 'node:crypto';
import { createI18n, defaultLocalesDir, loadLocaleResources } from '../../intake/i18n/create-i18n.js';
import { FieldCipher } from '../../intake/crypto/field-cipher.js';
import { authenticateApiToken, createApiToken } from '../../intake/store/api-tokens.js';
import { isDatabaseReachable } from '../../intake/store/open-database.js';
import { ReportStore } from '../../intake/store/report-store.js';
import { createPortalApp } from '../../portal/app.js';
import { createTestDatabase, type TestDatabase } from './test-databases.js';

export const testI18n = createI18n(loadLocaleResources(defaultLocalesDir));

export interface TestPortal {
  app: ReturnType<typeof createPortalApp>;
  database: TestDatabase;
  reports: ReportStore;
  adminToken: string;
  unexpectedErrors: unknown[];
  dispose(): Promise<void>;
}

/** The real portal over a real, fresh database, exercised through app.request(). */
export async function createTestPortal(kind: 'sqlite' | 'postgres' = 'sqlite'): Promise<TestPortal> {
  const database = await createTestDatabase(kind);
  const reports = new ReportStore({ db: database.db, cipher: new FieldCipher(randomBytes(32)) });
  const { token } = await createApiToken(database.db, { role: 'admin', label: 'test' });
  const unexpectedErrors: unknown[] = [];
  const app = createPortalApp({
    reports,
    authenticate: (candidate) => authenticateApiToken(database.db, candidate),
    isDatabaseReachable: () => isDatabaseReachable(database.db),
    i18n: testI18n,
    onUnexpectedError: (error) => unexpectedErrors.push(error),
  });
  return { app, database, reports, adminToken: token, unexpectedErrors, dispose: () => database.dispose() };
}
