import { randomBytes } from 'node:crypto';
import type { CompiledQuery, Kysely } from 'kysely';
import pg from 'pg';
import type { Database } from '../../intake/store/database.js';
import { openConsoleHarness, type ConsoleHarness } from './console-harness.js';

/**
 * Reportline as `npm start` assembles it (see openConsoleHarness), on SQLite
 * or on a fresh schema of the PostgreSQL database named by DATABASE_URL
 * (search_path in the URL), dropped again on close.
 */
export async function openHarnessOn(
  kind: 'sqlite' | 'postgres',
  environment: Record<string, string> = {},
): Promise<{ harness: ConsoleHarness; close: () => Promise<void> }> {
  if (kind === 'sqlite') {
    const harness = await openConsoleHarness(environment);
    return { harness, close: () => harness.close() };
  }
  const url = process.env.DATABASE_URL!;
  const schema = `test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const harness = await openConsoleHarness({
    ...environment,
    DATABASE_URL: `${url}${url.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`,
  });
  return {
    harness,
    close: async () => {
      await harness.close();
      const cleanup = new pg.Client({ connectionString: url });
      await cleanup.connect();
      await cleanup.query(`drop schema ${schema} cascade`);
      await cleanup.end();
    },
  };
}

/** Every statement Kysely sends through this database handle (transactions too), in order. */
export function recordQueries(db: Kysely<Database>) {
  const executor = db.getExecutor();
  const provide = executor.provideConnection.bind(executor);
  const seen: CompiledQuery[] = [];
  executor.provideConnection = (consumer) =>
    provide((connection) =>
      consumer({
        executeQuery: (query) => {
          seen.push(query);
          return connection.executeQuery(query);
        },
        streamQuery: (query, chunkSize) => {
          seen.push(query);
          return connection.streamQuery(query, chunkSize);
        },
      }),
    );
  return { take: () => seen.splice(0) };
}
