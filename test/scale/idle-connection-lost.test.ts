import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Services } from '../../app/open-services.js';
import type { Logger } from '../../app/logger.js';
import { completeReport } from '../support/fixtures.js';
import { createTestDatabase, warnIfPostgresSkipped, type TestDatabase } from '../support/test-databases.js';
import { openTestServices } from '../support/test-services.js';

const postgresUrl = process.env.DATABASE_URL;
warnIfPostgresSkipped();

// Added after the fix (found in review): the pool had no 'error' listener, so PostgreSQL ending a connection that
// sat idle in it (a failover, a restart, an administrator, an idle timeout) was an unhandled EventEmitter error
// that killed the whole instance, with the turns and deliveries it had in hand.
describe.runIf(postgresUrl)('PostgreSQL ending a connection idle in an instance’s pool', () => {
  let database: TestDatabase;
  let services: Services;
  const failures: Array<{ operation: string; error: unknown }> = [];
  const logger: Logger = {
    info: () => {},
    warn: () => {},
    error: () => {},
    failure: (operation, error) => failures.push({ operation, error }),
  };

  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    services = await openTestServices(database, { logger });
  });
  afterAll(async () => {
    await services?.close();
    await database?.dispose();
  });

  it('is logged with its code, and the instance goes on storing reports on a new connection', async () => {
    const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(services.db);
    const admin = new pg.Client({ connectionString: postgresUrl });
    await admin.connect();
    try {
      await admin.query('select pg_terminate_backend($1)', [rows[0]!.pid]);
    } finally {
      await admin.end();
    }
    const deadline = Date.now() + 10_000;
    while (!failures.some((entry) => entry.operation === 'store.idle_connection_lost') && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 20));
    expect(failures.map((entry) => entry.operation)).toContain('store.idle_connection_lost');
    const { reference } = await services.reports.submitReport(completeReport(), { actor: 'token:api' });
    expect(await services.reports.getReport(reference)).toBeDefined();
  });
});
