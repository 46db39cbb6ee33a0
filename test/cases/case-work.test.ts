import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assembleIntake, type Intake } from '../../app/assemble-intake.js';
import { listAgencyInbox } from '../../intake/cases/agency-inbox.js';
import { AgencyResponseError } from '../../intake/cases/agency-responses.js';
import { listCaseQueue } from '../../intake/cases/case-queue.js';
import { CaseWorkError } from '../../intake/cases/case-work.js';
import { FieldCipher } from '../../intake/crypto/field-cipher.js';
import { correctRouting } from '../../intake/routing/routing-correction.js';
import { createCaseRouter, planRouting } from '../../intake/routing/case-router.js';
import { loadAgencyDirectory } from '../../intake/routing/load-agency-directory.js';
import { decisionChosenByStaff } from '../../intake/routing/staff-routing.js';
import { caseHistory, caseViewers } from '../../intake/store/audit-log.js';
import {
  createTestDatabase,
  testDatabaseKinds,
  warnIfPostgresSkipped,
  type TestDatabase,
} from '../support/test-databases.js';

warnIfPostgresSkipped();

describe.each(testDatabaseKinds)('case work on %s', (kind) => {
  let database: TestDatabase;
  let intake: Intake;
  let clock = new Date('2026-05-01T00:00:00Z');
  const tick = () => (clock = new Date(clock.getTime() + 60_000));
  const directory = loadAgencyDirectory();

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    intake = assembleIntake({
      db: database.db,
      cipher: new FieldCipher(randomBytes(32)),
      router: createCaseRouter(directory),
      now: () => tick(),
    });
  });
  afterAll(async () => database?.dispose());

  it('orders the queue urgent first, then oldest, hides closed cases, and pages without repeats', async () => {
    const made = [];
    for (let i = 0; i < 7; i += 1) {
      made.push(
        await intake.reports.submitReport(
          { consent: { shareWithLawEnforcement: true }, channel: 'line', safety: { inImmediateDanger: i % 3 === 0 } },
          { actor: 'test' },
        ),
      );
    }
    await intake.caseWork.changeStatus(made[1]!.reportId, 'closed', 'test');
    const seen = [];
    let cursor: string | undefined;
    do {
      const page = await listCaseQueue(database.db, { channel: 'line' }, { limit: 2, ...(cursor ? { cursor } : {}) });
      seen.push(...page.entries);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    const expected = [made[0], made[3], made[6], made[2], made[4], made[5]].map((report) => report!.reference);
    expect(seen.map((entry) => entry.reference)).toEqual(expected);
    // Reopening puts it back in the queue.
    await intake.caseWork.changeStatus(made[1]!.reportId, 'triaging', 'test');
    expect(
      (await listCaseQueue(database.db, { channel: 'line' }, { limit: 50 })).entries.map((entry) => entry.reference),
    ).toContain(made[1]!.reference);
  });

  it('assigns, keeps notes encrypted, and refuses a duplicate without its original', async () => {
    const { reportId } = await intake.reports.submitReport(
      { consent: { shareWithLawEnforcement: true } },
      { actor: 'test' },
    );
    const original = await intake.reports.submitReport(
      { consent: { shareWithLawEnforcement: true } },
      { actor: 'test' },
    );
    await intake.caseWork.assign(reportId, 'user-1', 'user:user-1');
    expect(
      (await listCaseQueue(database.db, { assignedTo: 'user-1' }, { limit: 10 })).entries.map(
        (entry) => entry.reportId,
      ),
    ).toEqual([reportId]);
    await intake.caseWork.addNote(reportId, '가족과 통화함', 'user:user-1');
    expect((await intake.caseWork.listNotes(reportId)).map((note) => note.body)).toEqual(['가족과 통화함']);
    expect(JSON.stringify(await database.db.selectFrom('case_notes').selectAll().execute())).not.toContain('가족');
    await expect(intake.caseWork.changeStatus(reportId, 'duplicate', 'test')).rejects.toBeInstanceOf(CaseWorkError);
    await expect(intake.caseWork.changeStatus(reportId, 'duplicate', 'test', 'RL-0000-0000')).rejects.toBeInstanceOf(
      CaseWorkError,
    );
    await intake.caseWork.changeStatus(reportId, 'duplicate', 'test', original.reference);
    expect(await intake.caseWork.getState(reportId)).toMatchObject({
      status: 'duplicate',
      duplicateOf: { reportId: original.reportId },
    });
    expect((await listCaseQueue(database.db, { assignedTo: 'user-1' }, { limit: 10 })).entries).toEqual([]);
    // An agency's acceptance moves a new case on, but never reopens a finished one.
    expect(await intake.caseWork.advanceStatus(reportId, 'with_agency', ['new', 'triaging', 'referred'], 'test')).toBe(
      false,
    );
    expect(
      await intake.caseWork.advanceStatus(original.reportId, 'with_agency', ['new', 'triaging', 'referred'], 'test'),
    ).toBe(true);
  });

  it('links reports by hand that share nothing, and unlinks reports that share an ignored-looking value', async () => {
    const a = await intake.reports.submitReport(
      { consent: { shareWithLawEnforcement: true }, suspects: { phones: ['+66 2 000 0000'] } },
      { actor: 'test' },
    );
    const b = await intake.reports.submitReport(
      { consent: { shareWithLawEnforcement: true }, suspects: { phones: ['+66 2 000 0000'] } },
      { actor: 'test' },
    );
    const c = await intake.reports.submitReport({ consent: { shareWithLawEnforcement: true } }, { actor: 'test' });
    expect((await intake.links.linkedReports(a.reportId)).map((link) => link.reportId)).toEqual([b.reportId]);
    await intake.links.overrideLink(b.reportId, a.reportId, 'unlinked', 'user:u');
    await intake.links.overrideLink(a.reportId, c.reportId, 'linked', 'user:u');
    expect(await intake.links.linkedReports(a.reportId)).toEqual([
      expect.objectContaining({ reportId: c.reportId, byHand: true, shared: [] }),
    ]);
    expect((await intake.links.linkedReports(c.reportId)).map((link) => link.reportId)).toEqual([a.reportId]);
    expect(await intake.links.linkedReports(b.reportId)).toEqual([]);
    // Changing one's mind: linked again.
    await intake.links.overrideLink(a.reportId, b.reportId, 'linked', 'user:u');
    expect((await intake.links.linkedReports(b.reportId)).map((link) => [link.reportId, link.byHand])).toEqual([
      [a.reportId, true],
    ]);
  });

  it('re-plans deliveries when staff correct the routing, keeping what an agency already received', async () => {
    const { reportId } = await intake.reports.submitReport(
      { consent: { shareWithLawEnforcement: true }, victim: { currentCountry: 'TH' } },
      { actor: 'test' },
    );
    const at = new Date();
    // Two agencies had deliveries planned: one already received the case, the other not yet.
    await database.db
      .insertInto('deliveries')
      .values([
        {
          id: `${kind}-d1`,
          report_id: reportId,
          agency_id: 'th-rtp',
          method: 'webhook',
          status: 'delivered',
          urgent: 0,
          attempts: 1,
          next_attempt_at: at.toISOString(),
          lease_until: null,
          last_error: null,
          delivered_at: at.toISOString(),
          created_at: at.toISOString(),
        },
        {
          id: `${kind}-d2`,
          report_id: reportId,
          agency_id: 'th-aoc',
          method: 'email',
          status: 'pending',
          urgent: 0,
          attempts: 2,
          next_attempt_at: at.toISOString(),
          lease_until: null,
          last_error: 'timeout',
          delivered_at: null,
          created_at: at.toISOString(),
        },
      ])
      .execute();
    const withDelivery = {
      ...directory,
      agencies: new Map(
        [...directory.agencies].map(([id, agency]) => [
          id,
          id === 'kh-cnp' ? { ...agency, delivery: { email: { to: 'cases@example.org' } } } : agency,
        ]),
      ),
    };
    const plan = planRouting(
      decisionChosenByStaff({ primary: 'th-rtp', copies: ['kh-cnp'] }, { urgent: false, withheld: false }),
      withDelivery as typeof directory,
    );
    const result = await correctRouting(database.db, intake.cipher, reportId, plan, { actor: 'user:u', at });
    expect(result.added).toEqual(['kh-cnp']);
    const deliveries = await intake.routing.listDeliveries(reportId);
    expect(deliveries.map((delivery) => [delivery.agencyId, delivery.status])).toEqual(
      expect.arrayContaining([
        ['th-rtp', 'delivered'],
        ['th-aoc', 'cancelled'],
        ['kh-cnp', 'pending'],
      ]),
    );
    expect(await intake.routing.isRoutedTo(reportId, 'th-aoc')).toBe(false);
    expect(
      (await listAgencyInbox(database.db, 'kh-cnp', { limit: 10, offset: 0 })).entries.map((entry) => entry.reportId),
    ).toContain(reportId);
    expect((await caseHistory(database.db, reportId)).map((event) => event.action)).toEqual([
      'report.created',
      'routing.corrected',
    ]);
  });

  it('keeps each agency’s answers apart, a refusal needs a reason, and looks are summed up', async () => {
    const { reportId } = await intake.reports.submitReport(
      { consent: { shareWithLawEnforcement: true }, victim: { currentCountry: 'KH', nationality: 'KR' } },
      { actor: 'test' },
    );
    await expect(intake.agencyResponses.decide(reportId, 'kh-cnp', 'declined', '  ', 'user:k')).rejects.toBeInstanceOf(
      AgencyResponseError,
    );
    await intake.agencyResponses.decide(reportId, 'kh-cnp', 'accepted', undefined, 'user:k');
    await intake.agencyResponses.setCaseNumber(reportId, 'kh-cnp', 'CNP/2026/118', 'user:k');
    await intake.agencyResponses.addAction(reportId, 'kh-cnp', 'welfare_check', 'Visited building B.', 'user:k');
    await intake.agencyResponses.decide(reportId, 'kr-knpa', 'declined', 'Cambodia leads.', 'user:r');
    await expect(
      intake.agencyResponses.addAction(reportId, 'kh-cnp', 'made_up', undefined, 'user:k'),
    ).rejects.toBeInstanceOf(AgencyResponseError);
    expect(await intake.agencyResponses.list(reportId, 'kh-cnp')).toEqual([
      expect.objectContaining({
        agencyId: 'kh-cnp',
        decision: 'accepted',
        caseNumber: 'CNP/2026/118',
        actions: [expect.objectContaining({ action: 'welfare_check', note: 'Visited building B.' })],
      }),
    ]);
    expect(
      (await intake.agencyResponses.list(reportId)).map((response) => [
        response.agencyId,
        response.decision,
        response.reason,
      ]),
    ).toEqual([
      ['kh-cnp', 'accepted', null],
      ['kr-knpa', 'declined', 'Cambodia leads.'],
    ]);
    expect(JSON.stringify(await database.db.selectFrom('agency_actions').selectAll().execute())).not.toContain(
      'building B',
    );
    for (const actor of ['user:k', 'user:k', 'user:s']) await intake.reports.recordReportViewed(reportId, actor);
    const viewers = await caseViewers(database.db, reportId);
    expect(viewers.map((viewer) => [viewer.actor, viewer.views]).sort()).toEqual([
      ['user:k', 2],
      ['user:s', 1],
    ]);
    expect((await caseHistory(database.db, reportId)).map((event) => event.action)).not.toContain('report.viewed');
  });
});
