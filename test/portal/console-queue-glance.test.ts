import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleActor } from '../../intake/cases/case-actor.js';
import { casePartsOf } from '../../app/create-portal.js';
import { completeReport } from '../support/fixtures.js';
import { openConsoleHarness, type ConsoleHarness } from '../support/console-harness.js';
import { testI18n } from '../support/test-portal.js';
import { createTestDatabase, testDatabaseKinds } from '../support/test-databases.js';
import { openTestServices } from '../support/test-services.js';
import { silentLogger } from '../../app/logger.js';
import { backfillReportGlance } from '../../intake/store/report-glance-columns.js';
import { agencyName } from '../../intake/routing/display-names.js';

/** The cells of one queue row, by the reference it shows. */
function rowOf(html: string, reference: string): string {
  const start = html.indexOf(`<tr data-reference="${reference}"`);
  expect(start, `no queue row for ${reference}`).toBeGreaterThan(-1);
  return html.slice(start, html.indexOf('</tr>', start));
}

describe('the queue at a glance', () => {
  let harness: ConsoleHarness;

  beforeAll(async () => {
    // A bank's public hotline, written in countless reports: it must never link them.
    harness = await openConsoleHarness({ REPORTLINE_IGNORED_INDICATORS: 'phone:+66 2 123 4567' });
  });
  afterAll(() => harness?.close());

  it('counts linked reports as the case page does: shared indicators, less ignored ones and unlinked pairs, plus links by hand', async () => {
    const { submit, cases, testActor } = harness;
    const target = await submit({
      consent: { shareWithLawEnforcement: true },
      suspects: { phones: ['+66 2 123 4567', '+855 97 111 2222'], wallets: ['TThj8QM1oAy46uZhb3wguApBpMZooSDtKk'] },
    });
    const byPhone = await submit({
      consent: { shareWithLawEnforcement: true },
      suspects: { phones: ['+855 97 111 2222'] },
    });
    const byBoth = await submit({
      consent: { shareWithLawEnforcement: true },
      suspects: { phones: ['+855 97 111 2222'], wallets: ['TThj8QM1oAy46uZhb3wguApBpMZooSDtKk'] },
    });
    const byWallet = await submit({
      consent: { shareWithLawEnforcement: true },
      suspects: { wallets: ['TThj8QM1oAy46uZhb3wguApBpMZooSDtKk'] },
    });
    const onlyHotline = await submit({
      consent: { shareWithLawEnforcement: true },
      suspects: { phones: ['+66 2 123 4567'] },
    });
    const byHand = await submit({ consent: { shareWithLawEnforcement: true } });
    await cases.setLink(testActor, target.reference, byPhone.reference, 'unlinked');
    await cases.setLink(testActor, target.reference, byHand.reference, 'linked');

    const staff = await harness.signedIn('hotline');
    const queue = await staff.open('/staff?status=all');
    const row = rowOf(queue.html, target.reference);
    const onCasePage = await harness.services.links.linkedReports(target.reportId);
    // byBoth, byWallet (shared wallet and phone), byHand; not byPhone (unlinked), not onlyHotline (ignored).
    expect(onCasePage.map((linked) => linked.reference).sort()).toEqual(
      [byBoth.reference, byWallet.reference, byHand.reference].sort(),
    );
    expect(row).toContain(`data-linked="${onCasePage.length}"`);
    // The wallet is carried by two linked reports, the phone by one (byPhone is unlinked).
    expect(row).toMatch(/data-kind="crypto_address"/);
    expect(rowOf(queue.html, onlyHotline.reference)).toContain('data-linked="0"');
  });

  it("shows the safety flags, the loss and the story's first line, and only the first line", async () => {
    const report = completeReport();
    const stored = await harness.submit({
      ...report,
      evidence: [],
      safety: { ...report.safety, inImmediateDanger: true, minorInvolved: true },
      incident: { ...report.incident, narrative: 'First line of what happened.\nSecond line, with the victim’s name.' },
    });
    const staff = await harness.signedIn('hotline');
    const row = rowOf((await staff.open('/staff')).html, stored.reference);
    expect([...row.matchAll(/data-flag="([a-z_]+)"/g)].map((match) => match[1])).toEqual([
      'urgent',
      'in_danger',
      'held',
      'minor',
      'passport_withheld',
      // Held and the passport taken: strong forced-labour indicators (intake/report/trafficking-screening.ts).
      'likely_trafficking',
      'loss',
    ]);
    // Two currencies: the larger sum stands for the loss, with how many others there are.
    expect(row).toContain('KRW');
    expect(row).toContain(testI18n.getFixedT('en', 'staff')('queue.otherCurrencies', { count: 1 }));
    expect(row).toContain('First line of what happened.');
    expect(row).not.toContain('Second line');
  });

  it('keeps the filters behind the toggle closed until one of them is in force', async () => {
    const staff = await harness.signedIn('hotline');
    expect((await staff.open('/staff')).html).toContain('<details class="more-filters">');
    const filtered = await staff.open('/staff?category=romance&status=all');
    expect(filtered.html).toContain('<details class="more-filters" open="">');
    expect(filtered.html).toContain('<option value="romance" selected="">');
  });

  it('gives the first line of stories only to those who may read them: not to an agency', async () => {
    const stored = await harness.submit({
      consent: { shareWithLawEnforcement: true },
      incident: { narrative: 'A story only the hotline reads here.' },
    });
    const views = casePartsOf(harness.services).views;
    const { user: agencyUser } = await harness.account('agency', 'kh-cnp');
    const { user: hotlineUser } = await harness.account('hotline');
    const asAgency = await views.queue(consoleActor(agencyUser), { status: 'all' }, { limit: 500 });
    const asHotline = await views.queue(consoleActor(hotlineUser), { status: 'all' }, { limit: 500 });
    expect(asAgency.entries.find((entry) => entry.reference === stored.reference)).not.toHaveProperty('storyLine');
    expect(asHotline.entries.find((entry) => entry.reference === stored.reference)?.storyLine).toBe(
      'A story only the hotline reads here.',
    );
    // The agency's own pages never reach the staff queue; their header names the agency, not its id.
    const agency = await harness.signedIn('agency', 'kh-cnp');
    expect((await agency.open('/staff')).response.status).toBe(403);
    const header = /<header[\s\S]*?<\/header>/.exec((await agency.open('/agency')).html)![0];
    expect(header).toContain(`<bdi>${agencyName(harness.services.directory, 'kh-cnp', 'en')}</bdi>`);
  });

  it('triages in one step: a status and a template answer in the reporter’s language, or neither when one is refused', async () => {
    const stored = await harness.submit({ ...completeReport(), evidence: [] });
    const staff = await harness.signedIn('hotline');
    const page = await staff.open(`/staff/cases/${stored.reference}`);
    expect(page.html).toContain('id="triage"');

    const refused = await staff.submit(page, `/staff/cases/${stored.reference}/triage`, {
      status: 'duplicate',
      template: 'received',
    });
    expect(refused.response.status).toBe(400);
    expect(refused.html).toContain('data-message="case.error.invalid_status"');
    const reportId = stored.reportId;
    expect((await harness.services.caseWork.getState(reportId))!.status).toBe('new');
    expect(await harness.services.followups.listMessagesForStaff(reportId)).toEqual([]);

    const done = await staff.submit(page, `/staff/cases/${stored.reference}/triage`, {
      status: 'triaging',
      template: 'received',
    });
    expect(done.response.status).toBe(200);
    expect(done.html).toMatch(/data-message="reply\.sent(Page|Chat)"/);
    expect((await harness.services.caseWork.getState(reportId))!.status).toBe('triaging');
    const messages = await harness.services.followups.listMessagesForStaff(reportId);
    expect(messages.map((message) => message.body)).toEqual([
      testI18n.getFixedT('ko', 'messages')('templates.received', { reference: stored.reference }),
    ]);
    const history = await casePartsOf(harness.services).views.auditTrail({ reportId, limit: 20 });
    expect(history.map((event) => event.action)).toEqual(
      expect.arrayContaining(['case.status_changed', 'report.message_to_reporter']),
    );
  });

  it('fills in reports stored before migration 0017 once, with the data key; one it cannot read is left, and not tried again', async () => {
    const older = await harness.submit({
      consent: { shareWithLawEnforcement: true },
      safety: { heldAgainstWill: true, minorInvolved: true },
      incident: { narrative: 'Stored before migration 0017.' },
    });
    const unreadable = await harness.submit({ consent: { shareWithLawEnforcement: true } });
    const { db, cipher } = harness.services;
    // As migration 0017 leaves an older row: its defaults, nothing derived yet.
    const asBefore = {
      safety_flags: '',
      loss_amount: null,
      loss_currency: null,
      story_line_enc: null,
      glance_version: 0,
    };
    await db.updateTable('reports').set(asBefore).where('id', '=', older.reportId).execute();
    await db
      .updateTable('reports')
      .set({ ...asBefore, content_enc: 'written with another key' })
      .where('id', '=', unreadable.reportId)
      .execute();
    const staff = await harness.signedIn('hotline');
    const before = rowOf((await staff.open('/staff')).html, older.reference);
    expect([...before.matchAll(/data-flag="([a-z_]+)"/g)].map((match) => match[1])).toEqual(['urgent']);

    expect(await backfillReportGlance(db, cipher, { batch: 1 })).toEqual({ filled: 1, unreadable: 1 });
    const after = rowOf((await staff.open('/staff')).html, older.reference);
    expect([...after.matchAll(/data-flag="([a-z_]+)"/g)].map((match) => match[1])).toEqual([
      'urgent',
      'held',
      'minor',
      'likely_trafficking',
    ]);
    expect(after).toContain('Stored before migration 0017.');
    expect(await backfillReportGlance(db, cipher)).toEqual({ filled: 0, unreadable: 0 });
  });
});

describe.each(testDatabaseKinds)('the queue glance on %s', (kind) => {
  it('reads back the flags, the exact loss, the first line and the links that migration 0017 stores', async () => {
    const database = await createTestDatabase(kind);
    const services = await openTestServices(database, { logger: silentLogger });
    try {
      const submit = (input: Parameters<typeof services.reports.submitReport>[0]) =>
        services.reports.submitReport(input, { actor: 'test' });
      const target = await submit({
        consent: { shareWithLawEnforcement: true },
        safety: { minorInvolved: true },
        incident: { narrative: '  \nThe recruiter called from Sihanoukville.\nMore.' },
        losses: {
          payments: [
            { amount: 12_345_678.5, currency: 'KRW' },
            { amount: 0.25, currency: 'KRW' },
          ],
        },
        suspects: { phones: ['+855 97 333 4444'] },
      });
      await submit({ consent: { shareWithLawEnforcement: true }, suspects: { phones: ['+855 97 333 4444'] } });
      const user = await services.accounts.createUser({
        username: 'h',
        password: 'a-long-password-1',
        role: 'hotline',
      });
      const { entries } = await casePartsOf(services).views.queue(consoleActor(user), {}, { limit: 10 });
      expect(entries.find((entry) => entry.reference === target.reference)).toMatchObject({
        flags: ['minor'],
        loss: { amount: 12_345_678.75, currency: 'KRW', otherCurrencies: 0 },
        storyLine: 'The recruiter called from Sihanoukville.',
        linkedCount: 1,
        strongest: { kind: 'phone', reports: 1 },
      });
    } finally {
      await services.close();
      await database.dispose();
    }
  });
});
