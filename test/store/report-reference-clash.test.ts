import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type * as ReferenceCodes from '../../intake/report/reference-codes.js';
import { ReportStore } from '../../intake/store/report-store.js';
import { minimalReport, testCipher } from '../support/fixtures.js';
import {
  createTestDatabase,
  testDatabaseKinds,
  warnIfPostgresSkipped,
  type TestDatabase,
} from '../support/test-databases.js';

/** References the next draws give before the real generator's: a clash is made to happen, not waited for. */
const drawsFirst = vi.hoisted(() => [] as string[]);
vi.mock('../../intake/report/reference-codes.js', async (original) => {
  const real = await original<typeof ReferenceCodes>();
  return { ...real, newReportReference: () => drawsFirst.shift() ?? real.newReportReference() };
});

warnIfPostgresSkipped();

/**
 * A reference drawn twice (40 random bits: rare, not impossible) must not
 * lose the second report: its write is refused as a whole (on PostgreSQL one
 * statement, on SQLite a group written again member by member) and it is
 * stored again under a new reference, whose receipt its idempotency record
 * gives back.
 */
describe.each(testDatabaseKinds)('a reference drawn twice on %s', (kind) => {
  let database: TestDatabase;
  let store: ReportStore;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    store = new ReportStore({ db: database.db, cipher: testCipher() });
  });
  afterAll(async () => database?.dispose());

  it('stores the later reports under new references, each whole, and a retry gets the reference it kept', async () => {
    const taken = 'RL-AAAA-AAAA';
    drawsFirst.push(taken);
    const first = await store.submitReport(minimalReport(), { actor: 'test' });
    expect(first.reference).toBe(taken);
    // Two more at once, both drawing the taken reference first (on SQLite they share a group commit).
    drawsFirst.push(taken, taken);
    const keys = [`clash-a-${kind}`, `clash-b-${kind}`].map((key) => ({ scope: 'api:reports', key }));
    const later = await Promise.all(
      keys.map((idempotency) => store.submitReport(minimalReport(), { actor: 'test', idempotency })),
    );
    expect(drawsFirst).toEqual([]);
    for (const [i, result] of later.entries()) {
      expect(result.reference).not.toBe(taken);
      expect(result.replayed).toBe(false);
      expect((await store.getReport(result.reference))?.report.id).toBe(result.reportId);
      expect(await store.submitReport(minimalReport(), { actor: 'test', idempotency: keys[i]! })).toEqual({
        ...result,
        replayed: true,
      });
    }
    const stored = await database.db.selectFrom('reports').select('reference').execute();
    expect(stored.map((row) => row.reference).sort()).toEqual(
      [taken, ...later.map((result) => result.reference)].sort(),
    );
    const events = await database.db
      .selectFrom('audit_events')
      .where('action', '=', 'report.created')
      .select('report_id')
      .execute();
    expect(events.map((event) => event.report_id).sort()).toEqual(
      [first, ...later].map((result) => result.reportId).sort(),
    );
  });
});
