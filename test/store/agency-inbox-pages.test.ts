import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAgencyInbox } from '../../intake/cases/agency-inbox.js';
import { InvalidCursorError } from '../../intake/store/keyset-cursor.js';
import { ReportStore } from '../../intake/store/report-store.js';
import { routeToKoreaAndCambodia } from '../support/delivery-fixture.js';
import { completeReport, testCipher } from '../support/fixtures.js';
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from '../support/test-databases.js';

describe.each(testDatabaseKinds)('an agency inbox, page by page (%s)', (kind) => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    let minute = 0;
    const reports = new ReportStore({
      db: database.db,
      cipher: testCipher(),
      router: routeToKoreaAndCambodia,
      // Two cases in each minute: the id breaks the tie between cases routed at the same instant.
      now: () => new Date(Date.UTC(2026, 11, 1, 8, Math.floor(minute++ / 2))),
    });
    for (let i = 0; i < 9; i += 1) {
      const report = completeReport();
      await reports.submitReport(
        { ...report, safety: { ...report.safety, inImmediateDanger: false, heldAgainstWill: i % 3 === 0 } },
        { actor: 'test' },
      );
    }
  });
  afterAll(async () => database?.dispose());

  it('walks every case once, urgent first then newest, with cursors', async () => {
    const whole = (await listAgencyInbox(database.db, 'kr-police', { limit: 100 })).entries;
    expect(whole).toHaveLength(9);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listAgencyInbox(database.db, 'kr-police', { limit: 2, ...(cursor ? { cursor } : {}) });
      expect(page.entries.length).toBeLessThanOrEqual(2);
      seen.push(...page.entries.map((entry) => entry.reference));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(whole.map((entry) => entry.reference));
    const urgency = whole.map((entry) => entry.urgent);
    expect(urgency).toEqual([...urgency].sort((a, b) => Number(b) - Number(a)));
  });

  it('refuses a cursor of another list', async () => {
    const queueCursor = Buffer.from(JSON.stringify(['case-queue', 0, '2026-12-01T08:00:00.000Z', 'x'])).toString(
      'base64url',
    );
    await expect(listAgencyInbox(database.db, 'kr-police', { limit: 2, cursor: queueCursor })).rejects.toBeInstanceOf(
      InvalidCursorError,
    );
  });
});
