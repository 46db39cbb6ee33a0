import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../app/config.js';
import { openDatabase } from '../../intake/store/open-database.js';
import { warnIfPostgresSkipped } from '../support/test-databases.js';

const postgresUrl = process.env.DATABASE_URL;
warnIfPostgresSkipped();

describe.runIf(postgresUrl)('DATABASE_POOL_SIZE', () => {
  it("caps the connections an instance holds to PostgreSQL: six queries at once share the pool's two", async () => {
    const config = loadConfig({ DATABASE_URL: postgresUrl, DATABASE_POOL_SIZE: '2' });
    const db = openDatabase(config.database);
    try {
      const started = performance.now();
      const backends = await Promise.all(
        Array.from({ length: 6 }, async () => {
          const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid, pg_sleep(0.2)`.execute(db);
          return rows[0]!.pid;
        }),
      );
      expect(new Set(backends).size).toBe(2);
      // Three rounds of two, not one round of six.
      expect(performance.now() - started).toBeGreaterThanOrEqual(550);
    } finally {
      await db.destroy();
    }
  });
});
