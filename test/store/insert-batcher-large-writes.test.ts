import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InsertBatcher, type TableInserts } from '../../intake/store/insert-batcher.js';
import { dialectKindOf } from '../../intake/store/dialect/dialect-kind.js';
import {
  createTestDatabase,
  testDatabaseKinds,
  warnIfPostgresSkipped,
  type TestDatabase,
} from '../support/test-databases.js';

warnIfPostgresSkipped();

/**
 * A write too large for one statement (PostgreSQL takes at most 65,535 bound
 * values in one, SQLite 32,766) is split, and is still all or nothing. The
 * rows here are dashboard marks: a table with no foreign key and three
 * nullable columns, so rows may name different columns, as a report's audit
 * events do.
 */
describe.each(testDatabaseKinds)('the insert batcher on %s', (kind) => {
  let database: TestDatabase;
  let batcher: InsertBatcher;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    batcher = new InsertBatcher(database.db, dialectKindOf(database.db));
  });
  afterAll(async () => database?.dispose());

  const marks = (cause: string, count: number) =>
    Array.from({ length: count }, (_, i) => ({
      cause,
      week: '2026-11-30',
      report_id: `report-${i}`,
      value_hash: `hash-${i}`,
    }));
  const countOf = async (cause: string) =>
    Number(
      (
        await sql<{ n: number }>`select count(*) as n from dashboard_stale_weeks where cause = ${cause}`.execute(
          database.db,
        )
      ).rows[0]?.n,
    );
  // The dashboard's marks are written by triggers and read through the dashboard's own types, not Database's.
  const insertMarks = (rows: Array<Record<string, string>>) =>
    batcher.insert({ dashboard_stale_weeks: rows } as unknown as TableInserts);

  it('stores every row of a write of 80,000 values', async () => {
    await insertMarks(marks('large', 20_000));
    expect(await countOf('large')).toBe(20_000);
  });

  it('counts the values of every row, not only of the first, whose columns may be fewer', async () => {
    // 20,000 rows, the first naming one column and the others four: 79,997 values, not 20,000.
    await insertMarks([{ cause: 'uneven' }, ...marks('uneven', 19_999)]);
    expect(await countOf('uneven')).toBe(20_000);
  });

  it('stores none of a split write when its last row clashes', async () => {
    // 20,000 counters of four values each (80,000), the last with the first's key: split, and all undone.
    const counters = Array.from({ length: 20_000 }, (_, i) => ({
      bucket: 'split',
      window_start: i,
      hits: 1,
      expires_at: 1,
    }));
    await expect(batcher.insert({ rate_limit_counters: [...counters, { ...counters[0]! }] })).rejects.toThrow();
    const stored = await database.db
      .selectFrom('rate_limit_counters')
      .where('bucket', '=', 'split')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(stored.n)).toBe(0);
  });
});
