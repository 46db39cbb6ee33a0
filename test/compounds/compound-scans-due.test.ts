import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assembleIntake } from '../../app/assemble-intake.js';
import { addCaseNote } from '../../intake/cases/add-case-note.js';
import { assignCase } from '../../intake/cases/assign-case.js';
import type { CaseActor } from '../../intake/cases/case-actor.js';
import type { CaseDependencies } from '../../intake/cases/case-transaction.js';
import { changeCaseStatus } from '../../intake/cases/change-case-status.js';
import { CompoundMatcher } from '../../intake/compounds/compound-matcher.js';
import { createCompoundUseCases, type CompoundUseCases } from '../../intake/compounds/compound-use-cases.js';
import { FieldCipher } from '../../intake/crypto/field-cipher.js';
import type { SubmitResult } from '../../intake/store/report-store.js';
import {
  createTestDatabase,
  testDatabaseKinds,
  warnIfPostgresSkipped,
  type TestDatabase,
} from '../support/test-databases.js';
import { compoundForm, reportNamingNoCompound } from './compound-test-inputs.js';

warnIfPostgresSkipped();

/**
 * The compound matcher reads only the reports due (migration 0037: a trigger on reports writes the work list in the
 * writer's transaction), so every way a report changes must make it due again, and a change made while the matcher
 * looks at the report must not be lost when the matcher marks it looked at. Added with the work list.
 */

const staff: CaseActor = { auditId: 'user:staff-1', role: 'hotline' };

describe.each(testDatabaseKinds)('what the compound matcher looks at again (%s)', (kind) => {
  let database: TestDatabase;
  let intake: ReturnType<typeof assembleIntake>;
  let compounds: CompoundUseCases;
  let cases: CaseDependencies;
  let kkParkId = '';
  const cipher = new FieldCipher(randomBytes(32));
  // One millisecond for every write unless a test moves it: a change need not move `updated_at` to be seen.
  let at = new Date('2026-03-02T09:00:00.000Z');
  const now = () => at;
  const later = () => {
    at = new Date(at.getTime() + 60_000);
  };
  /** What links a report's indicators, with a hook that runs while the matcher looks at one report. */
  let whileLookingAt: { reportId: string; write: () => Promise<unknown> } | undefined;
  const matcher = () =>
    new CompoundMatcher({
      db: database.db,
      cipher,
      now,
      links: {
        linkedReports: async (reportId: string) => {
          const hook = whileLookingAt;
          if (hook?.reportId === reportId) {
            whileLookingAt = undefined;
            await hook.write();
          }
          return intake.links.linkedReports(reportId);
        },
      } as typeof intake.links,
    });
  const due = async (reportId: string) =>
    (await database.db
      .selectFrom('compound_scans_due')
      .select('report_id')
      .where('report_id', '=', reportId)
      .executeTakeFirst()) !== undefined;
  const proposalsOf = async (reportId: string) =>
    (await compounds.ofCase(staff, reportId)).map((entry) => ({ compoundId: entry.compoundId, reason: entry.reason }));
  const store = (narrative: string) =>
    intake.reports.submitReport(reportNamingNoCompound(narrative), { actor: 'token:api' });

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    intake = assembleIntake({ db: database.db, cipher, now });
    compounds = createCompoundUseCases({ db: database.db, cipher, now, links: intake.links });
    cases = { db: database.db, cipher, now };
    kkParkId = (await compounds.add(staff, compoundForm({ name: 'KK Park', aliases: 'เคเคปาร์ค' }))).id;
    await matcher().runOnce();
  });
  afterAll(async () => {
    await database?.dispose();
  });

  const writers: Array<[string, (stored: SubmitResult) => Promise<unknown>]> = [
    [
      'an addition by the reporter',
      ({ reportId }) => intake.followups.addToReport(reportId, { text: 'Still here.', channel: 'web', actor: 'web' }),
    ],
    [
      'an amendment',
      ({ reportId }) =>
        intake.amendments.amend({
          reportId,
          changes: { victim: { nationality: 'KR' } },
          actor: 'channel:line',
          channel: 'line',
        }),
    ],
    [
      'the reporter agreeing to be contacted',
      ({ reportId }) => intake.reports.setContactConsent(reportId, true, 'web'),
    ],
    [
      'a message to the reporter',
      ({ reportId }) => intake.followups.postMessageToReporter(reportId, { body: 'We read it.', author: 'user:1' }),
    ],
    [
      'a withdrawal',
      ({ reportId }) => intake.withdrawals.withdraw({ reportId, actor: 'reporter:web', channel: 'web' }),
    ],
    ['a status change by staff', ({ reference }) => changeCaseStatus(cases, staff, reference, { status: 'triaging' })],
    ['staff letting the case go', ({ reference }) => assignCase(cases, staff, reference, null)],
    ['a case note by staff', ({ reference }) => addCaseNote(cases, staff, reference, 'Called the embassy.')],
  ];

  it.each(writers)('makes a report due again after %s, and a round looks at it', async (_writer, write) => {
    const stored = await store('They drove us across the river at night.');
    expect(await due(stored.reportId)).toBe(true);
    await matcher().runOnce();
    expect(await due(stored.reportId)).toBe(false);
    later();
    await write(stored);
    expect(await due(stored.reportId)).toBe(true);
    await matcher().runOnce();
    expect(await due(stored.reportId)).toBe(false);
  });

  it('looks again at a report the reporter added to while it was looked at, in the same millisecond', async () => {
    const { reportId } = await store('I do not know where they took us.');
    // The addition commits after the round read the report and before it marks it looked at; the clock stands still,
    // so the report's `updated_at` is the one the round read.
    whileLookingAt = {
      reportId,
      write: () =>
        intake.followups.addToReport(reportId, { text: 'They moved us to KK Park.', channel: 'web', actor: 'web' }),
    };
    await matcher().runOnce();
    expect(whileLookingAt).toBeUndefined();
    expect(await proposalsOf(reportId)).toEqual([]);
    expect(await due(reportId)).toBe(true);
    await matcher().runOnce();
    expect(await proposalsOf(reportId)).toEqual([{ compoundId: kkParkId, reason: 'name' }]);
    expect(await due(reportId)).toBe(false);
  });
});
