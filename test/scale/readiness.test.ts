import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../intake/store/open-database.js';
import { Readiness } from '../../intake/store/readiness.js';
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from '../support/test-databases.js';

describe.each(testDatabaseKinds)('whether an instance is ready for traffic (%s)', (kind) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(kind);
  });
  afterAll(async () => database.dispose());

  it('is ready on a migrated database, and not once it is stopping', async () => {
    const readiness = new Readiness(database.db);
    expect(await readiness.check()).toEqual({ ready: true });
    readiness.markStopping();
    expect(await readiness.check()).toEqual({ ready: false, reason: 'stopping' });
  });

  it('is not ready while the database lacks a migration this version needs', async () => {
    const latest = await database.db
      .selectFrom('kysely_migration' as never)
      .select('name' as never)
      .orderBy('name' as never, 'desc')
      .executeTakeFirstOrThrow();
    const name = (latest as { name: string }).name;
    await database.db
      .deleteFrom('kysely_migration' as never)
      .where('name' as never, '=', name as never)
      .execute();
    try {
      expect(await new Readiness(database.db).check()).toEqual({ ready: false, reason: 'migrations_pending' });
    } finally {
      await database.db
        .insertInto('kysely_migration' as never)
        .values({ name, timestamp: new Date().toISOString() } as never)
        .execute();
    }
    expect(await new Readiness(database.db).check()).toEqual({ ready: true });
  });

  it('is not ready when its database does not answer', async () => {
    // Nothing listens on port 1: as a database that went away.
    const gone = openDatabase({ kind: 'postgres', url: 'postgres://root@127.0.0.1:1/reportline', maxConnections: 1 });
    try {
      expect(await new Readiness(gone).check()).toEqual({ ready: false, reason: 'database_unreachable' });
    } finally {
      await gone.destroy();
    }
  });
});
