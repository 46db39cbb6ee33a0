import { randomBytes } from 'node:crypto';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import type { Database } from '../../intake/store/database.js';
import { migrateToLatest } from '../../intake/store/migrate.js';
import { Readiness } from '../../intake/store/readiness.js';

/**
 * Kysely's migrator reads the tables of every schema of the database before it
 * takes its lock. When another deployment (or a parallel test file) drops its
 * schema during that read, PostgreSQL answers 3F000 for that other schema, and
 * start-up failed with `store.migration_failed` (seen in the instances bench and
 * in test set-up under two test files at a time). The race lasts microseconds,
 * so the pool here answers the first catalog reads as PostgreSQL did then
 * (CI then saw /readyz answer `migrations_pending` for the same reason).
 * Added after the fix.
 */
const postgresUrl = process.env.DATABASE_URL;

/** A pg pool whose clients fail the next `failures` reads of pg_attribute with PostgreSQL's own error for `schema`. */
function poolFailingCatalogReads(
  pool: pg.Pool,
  schema: string,
  failures: number,
  failure: (schema: string) => Error = (name) =>
    Object.assign(new Error(`schema "${name}" does not exist`), { code: '3F000', severity: 'ERROR' }),
) {
  let left = failures;
  return {
    failNext: (count: number) => {
      left = count;
    },
    connect: async () => {
      const client = await pool.connect();
      return {
        release: () => client.release(),
        query: (text: string, parameters: unknown[]) => {
          if (left > 0 && text.includes('pg_catalog"."pg_attribute')) {
            left -= 1;
            return Promise.reject(failure(schema));
          }
          return client.query(text, parameters);
        },
      };
    },
    end: () => pool.end(),
  };
}

describe.skipIf(!postgresUrl)('migrations when another schema is dropped meanwhile (PostgreSQL)', () => {
  const opened: Array<{ db: Kysely<Database>; schema: string }> = [];

  async function openInFreshSchema(
    failingSchema: (own: string) => string,
    failures: number,
    failure?: (schema: string) => Error,
  ) {
    const schema = `test_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: postgresUrl });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    await admin.end();
    const pool = new pg.Pool({ connectionString: postgresUrl, max: 2, options: `-c search_path=${schema}` });
    const failing = poolFailingCatalogReads(pool, failingSchema(schema), failures, failure);
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: failing as never }) });
    opened.push({ db, schema });
    return { db, schema, failNext: failing.failNext };
  }

  afterEach(async () => {
    for (const { db, schema } of opened.splice(0)) {
      await db.destroy();
      const cleanup = new pg.Client({ connectionString: postgresUrl });
      await cleanup.connect();
      await cleanup.query(`drop schema if exists ${schema} cascade`);
      await cleanup.end();
    }
  });

  it('reads the catalog again and migrates when the vanished schema is another one', async () => {
    const { db } = await openInFreshSchema(() => 'test_dropped_by_another_file', 2);
    const applied = await migrateToLatest(db);
    expect(applied.length).toBeGreaterThan(20);
    const { rows } = await sql<{ count: string }>`select count(*) as count from reports`.execute(db);
    expect(Number(rows[0]!.count)).toBe(0);
  });

  it('reads the catalog again when a table of another schema was dropped or altered during the read', async () => {
    // As CI saw (added after the fix): 42703 names a relation and a column, never the schema.
    const { db } = await openInFreshSchema(
      () => 'test_altered_by_another_file',
      2,
      () =>
        Object.assign(new Error('column "actor" of relation "audit_events" does not exist'), {
          code: '42703',
          severity: 'ERROR',
        }),
    );
    expect((await migrateToLatest(db)).length).toBeGreaterThan(20);
  });

  it('answers /readyz without reading other schemas, so a schema dropped meanwhile does not make it unready', async () => {
    const { db, failNext } = await openInFreshSchema(() => 'test_dropped_by_another_file', 0);
    await migrateToLatest(db);
    failNext(1);
    expect(await new Readiness(db).check()).toEqual({ ready: true });
  });

  it('still fails at once when the schema that vanished is its own', async () => {
    const { db } = await openInFreshSchema((own) => own, 1);
    await expect(migrateToLatest(db)).rejects.toMatchObject({ code: 'store.migration_failed' });
  });
});
