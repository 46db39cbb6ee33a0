import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { loadConfig } from '../../app/config.js';
import type { Logger } from '../../app/logger.js';
import { openServices, type Services } from '../../app/open-services.js';
import type { Clock } from '../../intake/clock.js';
import type { TestDatabase } from './test-databases.js';

/** A logger that keeps every failure it is told of, for a test to look at (nothing else is kept). */
export function recordingLogger(): Logger & { failures: unknown[] } {
  const failures: unknown[] = [];
  return {
    info: () => {},
    warn: () => {},
    error: () => {},
    failure: (_operation, error) => failures.push(error),
    failures,
  };
}

/**
 * The services as `npm start` opens them (configuration, migrations, intake,
 * bots, outbox workers), over a test's own database: its SQLite file, whose
 * folder becomes the data folder, or its PostgreSQL schema. The services
 * open their own connection, so closing them leaves the test's handle open.
 */
export async function openTestServices(
  database: TestDatabase,
  options: { environment?: Record<string, string>; logger: Logger; now?: Clock },
): Promise<Services> {
  const { location } = database;
  // On PostgreSQL the data folder holds only the evidence files, in a folder of their own.
  const ownFolder = location.kind === 'postgres' ? mkdtempSync(join(tmpdir(), 'reportline-data-')) : undefined;
  const where =
    location.kind === 'sqlite'
      ? { REPORTLINE_DATA_DIR: dirname(location.filename) }
      : { REPORTLINE_DATA_DIR: ownFolder!, DATABASE_URL: withSearchPath(location.url, location.searchPath) };
  const config = loadConfig({
    REPORTLINE_DATA_KEY: randomBytes(32).toString('hex'),
    ...where,
    ...options.environment,
  });
  const services = await openServices(config, options.logger, options.now ? { now: options.now } : {});
  return {
    ...services,
    close: async () => {
      await services.close();
      if (ownFolder) rmSync(ownFolder, { recursive: true, force: true });
    },
  };
}

/** The database URL with the schema the test's tables are in as its search path. */
function withSearchPath(url: string, searchPath: string | undefined): string {
  if (!searchPath) return url;
  return `${url}${url.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${searchPath}`)}`;
}
