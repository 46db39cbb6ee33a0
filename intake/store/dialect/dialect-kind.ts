import { PostgresAdapter, type Kysely } from 'kysely';

export type DialectKind = 'sqlite' | 'postgres';

/** Which database a Kysely instance talks to, for the few statements that differ. */
export function dialectKindOf(db: Kysely<any>): DialectKind {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}
