import { Migrator, type Kysely } from 'kysely';
import { currentSchema } from './migrate.js';
import type { Database } from './database.js';
import { migrationProvider } from './migrations/index.js';
import { isDatabaseReachable } from './open-database.js';

export type NotReadyReason = 'stopping' | 'database_unreachable' | 'migrations_pending';

export type ReadinessAnswer = { ready: true } | { ready: false; reason: NotReadyReason };

/**
 * Whether this instance should be sent traffic (`/readyz`): not when it is stopping (the load balancer takes it out
 * before it closes), not when its database does not answer, not while the database lacks a migration this version
 * needs (another instance may be applying it right now). `/healthz` stays the liveness check.
 */
export class Readiness {
  readonly #db: Kysely<Database>;
  #stopping = false;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  /** From now on the answer is "stopping": the first step of a graceful stop. */
  markStopping(): void {
    this.#stopping = true;
  }

  get stopping(): boolean {
    return this.#stopping;
  }

  async check(): Promise<ReadinessAnswer> {
    if (this.#stopping) return { ready: false, reason: 'stopping' };
    if (!(await isDatabaseReachable(this.#db))) return { ready: false, reason: 'database_unreachable' };
    try {
      const schema = await currentSchema(this.#db);
      const migrator = new Migrator({
        db: this.#db,
        provider: migrationProvider,
        ...(schema ? { migrationTableSchema: schema } : {}),
      });
      const migrations = await migrator.getMigrations();
      if (migrations.some((migration) => migration.executedAt === undefined))
        return { ready: false, reason: 'migrations_pending' };
    } catch {
      // No migration table yet (a fresh database another instance is about to migrate).
      return { ready: false, reason: 'migrations_pending' };
    }
    return { ready: true };
  }
}
