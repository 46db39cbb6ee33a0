import { Migrator, sql, type Kysely } from 'kysely';
import { dialectKindOf } from './dialect/dialect-kind.js';
import { migrationProvider } from './migrations/index.js';

export class MigrationError extends Error {
  readonly code = 'store.migration_failed';
}

/**
 * The PostgreSQL schema the store works in (the first of its search_path).
 * Kysely's migrator looks for its own tables in every schema of the database
 * unless it is told one: with another schema holding them (another
 * deployment, a parallel test), it would skip creating its lock table here
 * and then fail to find it.
 */
export async function currentSchema(db: Kysely<any>): Promise<string | undefined> {
  if (dialectKindOf(db) !== 'postgres') return undefined;
  const { rows } = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(db);
  return rows[0]?.schema ?? undefined;
}

/** How often a migration is tried again when another schema changed while the migrator read the catalog. */
const otherSchemaDroppedRetries = 5;

/**
 * Kysely's migrator reads the tables of every schema of the database (its
 * PostgreSQL introspection) before it takes its lock. When another deployment
 * or a parallel test drops its own schema during that read, PostgreSQL answers
 * 3F000 "schema … does not exist" for a schema that is not ours; when it drops
 * or alters a table there, 42P01 (undefined table) or 42703 (undefined column,
 * seen in CI: `column "actor" of relation "audit_events"`), which name no
 * schema. Either way no migration ran yet (the error came before any result),
 * so the read is simply made again. A missing schema of our own is a real error
 * and is not retried.
 */
function anotherSchemaChanged(error: unknown, schema: string | undefined, migrationsRan: boolean): boolean {
  if (!schema || migrationsRan || !error || typeof error !== 'object') return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (code === '42P01' || code === '42703') return true;
  return code === '3F000' && typeof message === 'string' && !message.includes(`"${schema}"`);
}

/** Brings the schema up to date; returns the names of the migrations it applied. */
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const schema = await currentSchema(db);
  const migrator = new Migrator({
    db,
    provider: migrationProvider,
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  let { error, results } = await migrator.migrateToLatest();
  for (
    let retry = 1;
    retry <= otherSchemaDroppedRetries && anotherSchemaChanged(error, schema, (results ?? []).length > 0);
    retry += 1
  ) {
    await new Promise((resolve) => setTimeout(resolve, 20 * retry));
    ({ error, results } = await migrator.migrateToLatest());
  }
  if (error) {
    const failed = results?.find((result) => result.status === 'Error')?.migrationName ?? 'unknown';
    throw new MigrationError(`migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
  return (results ?? []).filter((result) => result.status === 'Success').map((result) => result.migrationName);
}
