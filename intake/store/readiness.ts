import { sql, type Kysely } from 'kysely';
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
    // Asked of the migrations table in the store's own schema (the first of its search_path), not through Kysely's
    // Migrator, which reads the tables of every schema of the database first: a load balancer asks every few
    // seconds, and another deployment (or a parallel test) dropping its schema meanwhile made that read fail.
    const needed = Object.keys(await migrationProvider.getMigrations());
    let applied: Set<string>;
    try {
      const { rows } = await sql<{ name: string }>`select name from kysely_migration`.execute(this.#db);
      applied = new Set(rows.map((row) => row.name));
    } catch {
      // No migration table yet (a fresh database another instance is about to migrate).
      return { ready: false, reason: 'migrations_pending' };
    }
    if (needed.some((name) => !applied.has(name))) return { ready: false, reason: 'migrations_pending' };
    return { ready: true };
  }
}
