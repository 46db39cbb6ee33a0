import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backfillReportGlance } from '../../intake/store/report-glance-columns.js';
import { testDatabaseKinds } from '../support/test-databases.js';
import { createTestPortal, type TestPortal } from '../support/test-portal.js';

describe.each(testDatabaseKinds)('the likely_trafficking glance flag (%s)', (kind) => {
  let portal: TestPortal;
  beforeAll(async () => {
    portal = await createTestPortal(kind);
  });
  afterAll(async () => portal?.dispose());

  const flagsOf = async (reportId: string) =>
    (
      await portal.database.db
        .selectFrom('reports')
        .select('safety_flags')
        .where('id', '=', reportId)
        .executeTakeFirstOrThrow()
    ).safety_flags;

  it('is in reports.safety_flags for a new report, follows an amendment, and is filled in for a report glanced before it', async () => {
    const screened = await portal.reports.submitReport(
      { consent: { shareWithLawEnforcement: true }, screening: { indicators: ['debt_to_employer'] } },
      { actor: 'test' },
    );
    // One medium indicator: not yet.
    expect(await flagsOf(screened.reportId)).toBe('');
    await portal.intake.amendments.amend({
      reportId: screened.reportId,
      changes: { screening: { indicators: ['wages_withheld'] } },
      actor: 'channel:webchat',
      channel: 'webchat',
    });
    expect(await flagsOf(screened.reportId)).toBe('likely_trafficking');

    // A held report whose glance was written before the flag existed (version 1, no likely_trafficking).
    const older = await portal.reports.submitReport(
      { consent: { shareWithLawEnforcement: true }, safety: { heldAgainstWill: true } },
      { actor: 'test' },
    );
    const { db } = portal.database;
    await db
      .updateTable('reports')
      .set({ safety_flags: 'held', glance_version: 1 })
      .where('id', '=', older.reportId)
      .execute();
    const { filled } = await backfillReportGlance(db, portal.intake.cipher);
    expect(filled).toBe(1);
    expect(await flagsOf(older.reportId)).toBe('held,likely_trafficking');
    expect((await backfillReportGlance(db, portal.intake.cipher)).filled).toBe(0);
  });
});
