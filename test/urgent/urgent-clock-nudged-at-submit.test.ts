import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Services } from '../../app/open-services.js';
import { completeReport } from '../support/fixtures.js';
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from '../support/test-databases.js';
import { openTestServices, recordingLogger } from '../support/test-services.js';

/** Far longer than the test: what the clock does within it is the stored report's nudge, not its poll. */
const pollFarAway = 10 * 60_000;

// Added after the fix: the clock worker was not woken by a stored report, so the duty desk heard of a person
// in danger only at the worker's next poll (5 s by default, more under load, when alerts fell behind).
describe.each(testDatabaseKinds)('an urgent report stored on a running server (%s)', (kind) => {
  let database: TestDatabase;
  let services: Services;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    services = await openTestServices(database, { logger: recordingLogger() });
    services.urgentClocks.start(pollFarAway);
    // The start's own first look finds nothing due; what follows is the nudge's doing.
    await services.urgentClocks.runOnce();
  });
  afterAll(async () => {
    await services?.urgentClocks.stop();
    await services?.close();
    await database?.dispose();
  });

  const dutyAlerted = async (reportId: string) =>
    (
      await services.db
        .selectFrom('urgent_clocks')
        .select('duty_alerted_at')
        .where('report_id', '=', reportId)
        .executeTakeFirst()
    )?.duty_alerted_at ?? null;

  it('has its clock look at it at once and tell the duty desk, without waiting for the poll', async () => {
    const { reportId, urgent } = await services.reports.submitReport(completeReport(), { actor: 'token:api' });
    expect(urgent).toBe(true);
    const deadline = Date.now() + 20_000;
    while ((await dutyAlerted(reportId)) === null && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await dutyAlerted(reportId)).not.toBeNull();
    const events = await services.db
      .selectFrom('audit_events')
      .select('action')
      .where('report_id', '=', reportId)
      .where('action', '=', 'urgent.duty_alerted')
      .execute();
    expect(events).toHaveLength(1);
  });
});
