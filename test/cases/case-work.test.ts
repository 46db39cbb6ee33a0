import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Intake } from '../../app/assemble-intake.js';
import { listAgencyInbox } from '../../intake/cases/agency-inbox.js';
import type { CaseActor } from '../../intake/cases/case-actor.js';
import { CaseError } from '../../intake/cases/case-error.js';
import { listCaseQueue } from '../../intake/cases/case-queue.js';
import type { CaseUseCases } from '../../intake/cases/case-use-cases.js';
import { correctRouting } from '../../intake/routing/routing-correction.js';
import { planRouting } from '../../intake/routing/case-router.js';
import { loadAgencyDirectory } from '../../intake/routing/load-agency-directory.js';
import { decisionChosenByStaff } from '../../intake/routing/staff-routing.js';
import { caseHistory, caseViewers } from '../../intake/store/audit-log.js';
import { testDatabaseKinds, warnIfPostgresSkipped, type TestDatabase } from '../support/test-databases.js';
import { openCaseFixture, type CaseFixture } from './case-fixture.js';

warnIfPostgresSkipped();

describe.each(testDatabaseKinds)('case work on %s', (kind) => {
  let fixture: CaseFixture;
  let database: TestDatabase;
  let intake: Intake;
  let cases: CaseUseCases;
  const staff: CaseActor = { auditId: 'test', role: 'admin' };
  const agencyActor = (agencyId: string, auditId: string): CaseActor => ({ auditId, role: 'agency', agencyId });
  let clock = new Date('2026-05-01T00:00:00Z');
  const tick = () => (clock = new Date(clock.getTime() + 60_000));
  const directory = loadAgencyDirectory();

  beforeAll(async () => {
    fixture = await openCaseFixture(kind, { now: () => tick() });
    ({ database, intake } = fixture);
    cases = fixture.useCases;
  });
  afterAll(async () => fixture?.close());

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
    await cases.changeStatus(staff, made[1]!.reference, { status: 'closed' });
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
    await cases.changeStatus(staff, made[1]!.reference, { status: 'triaging' });
    expect(
      (await listCaseQueue(database.db, { channel: 'line' }, { limit: 50 })).entries.map((entry) => entry.reference),
    ).toContain(made[1]!.reference);
  });

  it('assigns, keeps notes encrypted, and refuses a duplicate without its original', async () => {
    const { reportId, reference } = await intake.reports.submitReport(
      { consent: { shareWithLawEnforcement: true }, victim: { currentCountry: 'KH' } },
      { actor: 'test' },
    );
    const original = await intake.reports.submitReport(
      { consent: { shareWithLawEnforcement: true }, victim: { currentCountry: 'KH' } },
      { actor: 'test' },
    );
    const worker = await intake.accounts.createUser({
      username: `worker-${kind}`,
      password: 'a-long-enough-password-0123',
      role: 'hotline',
    });
    const hotline: CaseActor = { auditId: `user:${worker.id}`, role: 'hotline', userId: worker.id };
    // The hotline takes a case themselves; only a supervisor gives one to someone else.
    await expect(cases.assign({ ...hotline, userId: 'someone-else' }, reference, worker.id)).rejects.toMatchObject({
      code: 'case.not_allowed',
    });
    await expect(cases.assign(staff, reference, 'no-such-account')).rejects.toMatchObject({
      code: 'case.unknown_assignee',
    });
    await cases.assign(hotline, reference, worker.id);
    expect(
      (await listCaseQueue(database.db, { assignedTo: worker.id }, { limit: 10 })).entries.map(
        (entry) => entry.reportId,
      ),
    ).toEqual([reportId]);
    await cases.addNote(hotline, reference, '가족과 통화함');
    expect((await intake.caseWork.listNotes(reportId)).map((note) => note.body)).toEqual(['가족과 통화함']);
    expect(JSON.stringify(await database.db.selectFrom('case_notes').selectAll().execute())).not.toContain('가족');
    await expect(cases.changeStatus(staff, reference, { status: 'duplicate' })).rejects.toMatchObject({
      code: 'case.duplicate_needs_original',
    });
    await expect(
      cases.changeStatus(staff, reference, { status: 'duplicate', duplicateOf: 'RL-0000-0000' }),
    ).rejects.toBeInstanceOf(CaseError);
    await expect(
      cases.changeStatus(staff, reference, { status: 'duplicate', duplicateOf: reference }),
    ).rejects.toMatchObject({ code: 'case.duplicate_of_itself' });
    await cases.changeStatus(staff, reference, { status: 'duplicate', duplicateOf: original.reference });
    expect(await intake.caseWork.getState(reportId)).toMatchObject({
      status: 'duplicate',
      duplicateOf: { reportId: original.reportId },
    });
    expect((await listCaseQueue(database.db, { assignedTo: worker.id }, { limit: 10 })).entries).toEqual([]);
    // An agency's acceptance moves a new case on, but never reopens a finished one.
    const police = agencyActor('kh-cnp', 'user:police');
    await cases.decideReferral(police, reference, { decision: 'accepted' });
    expect((await intake.caseWork.getState(reportId))?.status).toBe('duplicate');
    await cases.decideReferral(police, original.reference, { decision: 'accepted' });
    expect((await intake.caseWork.getState(original.reportId))?.status).toBe('with_agency');
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
    await cases.setLink(staff, b.reference, a.reference, 'unlinked');
    await cases.setLink(staff, a.reference, c.reference, 'linked');
    expect(await intake.links.linkedReports(a.reportId)).toEqual([
      expect.objectContaining({ reportId: c.reportId, byHand: true, shared: [] }),
    ]);
    expect((await intake.links.linkedReports(c.reportId)).map((link) => link.reportId)).toEqual([a.reportId]);
    expect(await intake.links.linkedReports(b.reportId)).toEqual([]);
    // Changing one's mind: linked again.
    await cases.setLink(staff, a.reference, b.reference, 'linked');
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
      (await listAgencyInbox(database.db, 'kh-cnp', { limit: 10 })).entries.map((entry) => entry.reportId),
    ).toContain(reportId);
    expect((await caseHistory(database.db, reportId)).map((event) => event.action)).toEqual([
      'report.created',
      'routing.corrected',
    ]);
  });

  it('keeps each agency’s answers apart, a refusal needs a reason, and looks are summed up', async () => {
    const { reportId, reference } = await intake.reports.submitReport(
      { consent: { shareWithLawEnforcement: true }, victim: { currentCountry: 'KH', nationality: 'KR' } },
      { actor: 'test' },
    );
    const police = agencyActor('kh-cnp', 'user:k');
    await expect(cases.decideReferral(police, reference, { decision: 'declined', reason: '  ' })).rejects.toMatchObject(
      { code: 'agency.reason_required' },
    );
    await cases.decideReferral(police, reference, { decision: 'accepted' });
    await cases.setAgencyCaseNumber(police, reference, 'CNP/2026/118');
    await cases.recordAgencyAction(police, reference, { action: 'welfare_check', note: 'Visited building B.' });
    await cases.decideReferral(agencyActor('kr-knpa', 'user:r'), reference, {
      decision: 'declined',
      reason: 'Cambodia leads.',
    });
    await expect(cases.recordAgencyAction(police, reference, { action: 'made_up' })).rejects.toMatchObject({
      code: 'agency.invalid_action',
    });
    // An agency the case is not routed to is answered as if there were no such case.
    await expect(
      cases.decideReferral(agencyActor('th-rtp', 'user:t'), reference, { decision: 'accepted' }),
    ).rejects.toMatchObject({ code: 'case.not_found' });
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
    for (const auditId of ['user:k', 'user:k', 'user:s'])
      await cases.view({ auditId, role: 'admin' }, reference, async () => true);
    const viewers = await caseViewers(database.db, reportId);
    expect(viewers.map((viewer) => [viewer.actor, viewer.views]).sort()).toEqual([
      ['user:k', 2],
      ['user:s', 1],
    ]);
    expect((await caseHistory(database.db, reportId)).map((event) => event.action)).not.toContain('report.viewed');
  });
});
