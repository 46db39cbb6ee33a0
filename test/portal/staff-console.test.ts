import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAuditEvents } from '../../intake/store/audit-log.js';
import { openConsoleHarness, type ConsoleHarness } from '../support/console-harness.js';
import { completeReport } from '../support/fixtures.js';
import { messageKeys, pageMessages } from '../support/page-messages.js';
import { testI18n } from '../support/test-portal.js';

const script = '<script>alert(1)</script>';
const attribute = '"><img src=x onerror=alert(2)>';
const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');

describe('the staff console', () => {
  let harness: ConsoleHarness;
  beforeAll(async () => {
    harness = await openConsoleHarness();
  });
  afterAll(async () => harness?.close());

  it('lists open cases urgent first, then oldest, filters them, and shows no personal data in the list', async () => {
    const calm = await harness.submit({
      consent: { shareWithLawEnforcement: true },
      channel: 'web',
      language: 'th',
      victim: { nameOrAlias: 'Somchai Queue', currentCountry: 'TH' },
      incident: { category: 'romance' },
    });
    const urgent = await harness.submit({
      consent: { shareWithLawEnforcement: true },
      channel: 'api',
      language: 'ko',
      safety: { heldAgainstWill: true },
      victim: { currentCountry: 'KH' },
      incident: { category: 'fake_job_compound' },
    });
    const closed = await harness.submit({ consent: { shareWithLawEnforcement: true }, channel: 'web', language: 'en' });
    await harness.cases.changeStatus(harness.testActor, closed.reference, { status: 'closed' });
    const staff = await harness.signedIn('hotline');
    const queue = await staff.open('/staff');
    const order = [...queue.html.matchAll(/href="\/staff\/cases\/(RL-[0-9A-Z-]+)"/g)].map((match) => match[1]);
    expect(order.indexOf(urgent.reference)).toBeLessThan(order.indexOf(calm.reference));
    expect(order).not.toContain(closed.reference);
    expect(queue.html).not.toContain('Somchai Queue');

    const thai = await staff.open('/staff?language=th&category=romance&country=TH&channel=web');
    expect(thai.html).toContain(calm.reference);
    expect(thai.html).not.toContain(urgent.reference);
    expect((await staff.open('/staff?agency=kh-cnp')).html).toContain(urgent.reference);
    expect((await staff.open('/staff?status=closed')).html).toContain(closed.reference);
    await harness.cases.assign(harness.testActor, calm.reference, staff.user.id);
    const mine = await staff.open('/staff?assigned=me');
    expect(mine.html).toContain(calm.reference);
    expect(mine.html).not.toContain(urgent.reference);
    // A forged page position is refused plainly, not with an error page.
    expect((await staff.open('/staff?cursor=not-ours')).html).toContain('data-message="queue.badCursor"');
  });

  it('pages through a long queue without repeating or losing a case', async () => {
    const created = [];
    for (let i = 0; i < 55; i += 1)
      created.push(
        (await harness.submit({ consent: { shareWithLawEnforcement: false }, channel: 'staff', language: 'vi' }))
          .reference,
      );
    const staff = await harness.signedIn('hotline');
    const seen: string[] = [];
    let path: string | undefined = '/staff?channel=staff';
    while (path) {
      const page = await staff.open(path);
      seen.push(...[...page.html.matchAll(/href="\/staff\/cases\/(RL-[0-9A-Z-]+)"/g)].map((match) => match[1]!));
      path = /<a href="(\/staff\?[^"]*cursor=[^"]+)">/.exec(page.html)?.[1]?.replace(/&amp;/g, '&');
    }
    expect(seen.sort()).toEqual([...created].sort());
  });

  it('finds cases by reference and by any indicator, written any way', async () => {
    const first = await harness.submit({
      consent: { shareWithLawEnforcement: true },
      victim: { currentCountry: 'TH' },
      suspects: { phones: ['081-234-9999'], wallets: ['TJ7hhYhVhaxNx6BPyq7yFpqZrQULL3JSdb'] },
    });
    const second = await harness.submit({
      consent: { shareWithLawEnforcement: true },
      incident: { narrative: 'They called from +66 81 234 9999 again.' },
    });
    const staff = await harness.signedIn('hotline');
    const byReference = await staff.open(`/staff/search?q=${first.reference.toLowerCase()}`);
    expect(byReference.response.status).toBe(303);
    expect(byReference.response.headers.get('location')).toBe(`/staff/cases/${first.reference}`);
    const byPhone = await staff.open(`/staff/search?q=${encodeURIComponent('+66 81-234-9999')}`);
    expect(byPhone.html).toContain(first.reference);
    expect(byPhone.html).toContain(second.reference);
    const byWallet = await staff.open('/staff/search?q=TJ7hhYhVhaxNx6BPyq7yFpqZrQULL3JSdb');
    expect(byWallet.html).toContain(first.reference);
    expect(byWallet.html).not.toContain(second.reference);
    expect(messageKeys((await staff.open('/staff/search?q=hello')).html)).toContain('search.noReports');
    expect(messageKeys((await staff.open(`/staff/search?q=${encodeURIComponent('?? !!')}`)).html)).toContain(
      'search.nothingRecognised',
    );
  });

  it('finds a case by a number written as the victim said it, read in the hotline countries or the one chosen', async () => {
    const held = await harness.submit({
      consent: { shareWithLawEnforcement: true },
      victim: { currentCountry: 'KH' },
      suspects: { phones: ['+63 917 123 4567'] },
    });
    const staff = await harness.signedIn('hotline');
    // No country chosen: read in each of the directory's countries; the Philippine reading finds it and says so.
    const local = await staff.open(`/staff/search?q=${encodeURIComponent('0917 123 4567')}`);
    expect(local.html).toContain(held.reference);
    expect(messageKeys(local.html)).toContain('search.readIn');
    expect(text(local.html)).toContain('Philippines');
    // The same number in Khmer digits, with the country chosen: found, and the form keeps the choice.
    const khmer = await staff.open(`/staff/search?q=${encodeURIComponent('០៩១៧ ១២៣ ៤៥៦៧')}&country=PH`);
    expect(khmer.html).toContain(held.reference);
    expect(khmer.html).toMatch(/<option value="PH" selected/);
    // Chosen as a Thai number, it is another number: not this case.
    const thai = await staff.open(`/staff/search?q=${encodeURIComponent('0917 123 4567')}&country=TH`);
    expect(thai.html).not.toContain(held.reference);
  });

  it('shows every field of a case as text, however it was written, and records that it was looked at', async () => {
    const report = completeReport();
    const hostile = {
      ...report,
      reporter: { name: script, contact: attribute, phone: script },
      safety: { ...report.safety, safeContactMethod: script, safeContactTime: attribute },
      victim: { ...report.victim, nameOrAlias: script, currentPlace: attribute, languagesSpoken: [script] },
      incident: { ...report.incident, narrative: `${script} ${attribute}`, firstContactPlatform: script },
      losses: {
        ...report.losses,
        bankCaseNumber: script,
        payments: [
          { amount: 1, currency: 'USD', fromInstitution: script, toAccount: attribute, transactionHash: script },
        ],
      },
      suspects: {
        ...report.suspects,
        names: [script],
        phones: [attribute],
        messengerHandles: [script],
        emails: [script],
        websites: [`javascript:alert(3)`],
        socialProfiles: [attribute],
        bankAccounts: [script],
        wallets: [attribute],
        compound: { name: script, place: attribute, country: 'KH' },
      },
      trafficking: {
        ...report.trafficking,
        promisedJob: script,
        promisedSalary: attribute,
        destination: script,
        route: attribute,
        debtOrRansomDemanded: script,
      },
      earlierReports: [{ agency: script, referenceNumber: attribute }],
      evidence: [],
    };
    const { reportId, reference } = await harness.submit(hostile);
    await harness.services.followups.addToReport(reportId, { text: script, channel: 'web', actor: 'reporter:web' });
    await harness.cases.addNote(harness.testActor, reference, attribute);
    const staff = await harness.signedIn('hotline');
    const { html } = await staff.open(`/staff/cases/${reference}`);
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('href="javascript:');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&quot;&gt;&lt;img src=x onerror=alert(2)&gt;');
    // Every section of the report is there, each field under its own label (in the English the page is in).
    const label = testI18n.getFixedT('en', 'staff');
    for (const shown of [
      label('field.safety.heldAgainstWill'),
      label('field.safety.passportWithheld'),
      label('field.trafficking.promisedJob'),
      label('field.suspects.wallets'),
      label('field.losses.payment', { number: '1' }),
      label('field.earlierReport'),
      label('field.consent.contactBack'),
    ])
      expect(text(html)).toContain(shown);
    const viewed = (await listAuditEvents(harness.services.db, { reportId })).filter(
      (event) => event.action === 'report.viewed',
    );
    expect(viewed.map((event) => event.actor)).toContain(`user:${staff.user.id}`);
  });

  it('shows indicators with their check, linked reports with what they share, the routing and its reasons', async () => {
    // A wallet typed with one wrong letter, and the recruiter's number.
    const earlier = await harness.submit({
      consent: { shareWithLawEnforcement: true },
      suspects: { phones: ['+855 12 345 678'], wallets: ['TThj8QM1oAy46uZhb3wguApBpMZooSDtKK'] },
    });
    const later = await harness.submit({ ...completeReport(), evidence: [] });
    const staff = await harness.signedIn('hotline');
    const laterPage = await staff.open(`/staff/cases/${later.reference}`);
    expect(laterPage.html).toContain(`href="/staff/cases/${earlier.reference}"`);
    const page = text(laterPage.html);
    expect(pageMessages(laterPage.html)).toContainEqual({
      key: 'linked.shares',
      text: expect.stringContaining('+85512345678'),
    });
    expect(page).toContain('tron:TThj8QM1oAy46uZhb3wguApBpMZooSDtKk');
    expect(page).toContain('Main agency: Cambodian National Police');
    expect(laterPage.html).toContain('data-message="routing.plannedBy" data-planned-by="rules"');
    const earlierPage = (await staff.open(`/staff/cases/${earlier.reference}`)).html;
    expect(messageKeys(earlierPage)).toContain('validity.invalid');
    expect(text(earlierPage)).toContain(later.reference);
  });

  it('assigns, changes status, keeps notes, and links and unlinks reports by hand, each audited', async () => {
    const { services } = harness;
    const one = await harness.submit({ consent: { shareWithLawEnforcement: true }, language: 'en' });
    const two = await harness.submit({ consent: { shareWithLawEnforcement: true }, language: 'en' });
    const hotline = await harness.signedIn('hotline');
    const colleague = await harness.signedIn('hotline');
    const supervisor = await harness.signedIn('supervisor');
    let page = await hotline.open(`/staff/cases/${one.reference}`);
    const token = hotline.consoleToken(page.html);

    // A hotline worker takes a case, but cannot hand it to a colleague; a supervisor can.
    page = await hotline.post(`/staff/cases/${one.reference}/assign`, { token, assignee: hotline.user.id });
    expect(page.html).toContain('data-message="case.assigned"');
    const refused = await hotline.post(`/staff/cases/${one.reference}/assign`, { token, assignee: colleague.user.id });
    expect(refused.response.status).toBe(400);
    expect((await services.caseWork.getState(one.reportId))?.assignedTo).toBe(hotline.user.id);
    const supervisorToken = supervisor.consoleToken((await supervisor.open(`/staff/cases/${one.reference}`)).html);
    await supervisor.post(`/staff/cases/${one.reference}/assign`, {
      token: supervisorToken,
      assignee: colleague.user.id,
    });
    expect((await services.caseWork.getState(one.reportId))?.assignedTo).toBe(colleague.user.id);

    page = await hotline.post(`/staff/cases/${one.reference}/status`, { token, status: 'triaging' });
    expect(page.html).toContain('data-message="case.statusChanged"');
    const noOriginal = await hotline.post(`/staff/cases/${two.reference}/status`, {
      token,
      status: 'duplicate',
      duplicateOf: 'RL-0000-0000',
    });
    expect(noOriginal.response.status).toBe(400);
    expect(noOriginal.html).toContain('data-message="case.error.duplicate_needs_original"');
    expect(noOriginal.html).toContain('value="RL-0000-0000"');
    await hotline.post(`/staff/cases/${two.reference}/status`, {
      token,
      status: 'duplicate',
      duplicateOf: one.reference.toLowerCase(),
    });
    expect(await services.caseWork.getState(two.reportId)).toMatchObject({
      status: 'duplicate',
      duplicateOf: { reference: one.reference },
    });

    page = await hotline.post(`/staff/cases/${one.reference}/note`, {
      token,
      body: 'Called the family; they will send the bank slip.',
    });
    expect(page.html).toContain('Called the family; they will send the bank slip.');
    const stored = JSON.stringify(await services.db.selectFrom('case_notes').selectAll().execute());
    expect(stored).not.toContain('Called the family');
    expect((await hotline.post(`/staff/cases/${one.reference}/note`, { token, body: '   ' })).response.status).toBe(
      400,
    );

    page = await hotline.post(`/staff/cases/${one.reference}/link`, { token, other: two.reference });
    expect(page.html).toContain(`href="/staff/cases/${two.reference}"`);
    expect((await hotline.open(`/staff/cases/${two.reference}`)).html).toContain(
      `href="/staff/cases/${one.reference}"`,
    );
    expect(
      (await hotline.post(`/staff/cases/${one.reference}/link`, { token, other: one.reference })).response.status,
    ).toBe(400);
    page = await hotline.post(`/staff/cases/${one.reference}/unlink`, { token, other: two.reference });
    expect(page.html).toContain('data-message="linked.unlinked"');
    expect(await services.links.linkedReports(one.reportId)).toEqual([]);

    const actions = (await listAuditEvents(services.db, { reportId: one.reportId })).map((event) => event.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'case.assigned',
        'case.status_changed',
        'case.note_added',
        'case.linked',
        'case.unlinked',
      ]),
    );
  });

  it('corrects the routing: removed agencies lose the case and their pending deliveries, added ones get theirs', async () => {
    const { services } = harness;
    const { reportId, reference } = await harness.submit({
      consent: { shareWithLawEnforcement: true },
      victim: { currentCountry: 'TH', nationality: 'TH' },
    });
    const before = await services.routing.getRouting(reportId);
    expect(before?.agencies.map((agency) => agency.agencyId)).toContain('th-rtp');
    // Working in Korean: the note is still written in the deployment's language, for every colleague to read.
    const staff = await harness.signedIn('hotline', undefined, 'ko');
    const token = staff.consoleToken((await staff.open(`/staff/cases/${reference}`)).html);
    const missingReason = await staff.post(`/staff/cases/${reference}/routing`, {
      token,
      primary: 'kh-cnp',
      copies: ['interpol'],
    });
    expect(missingReason.response.status).toBe(400);
    const reason = 'She is in Poipet now, on the Cambodian side.';
    const page = await staff.post(`/staff/cases/${reference}/routing`, {
      token,
      primary: 'kh-cnp',
      copies: ['interpol'],
      reason,
    });
    expect(page.response.status).toBe(200);
    expect(page.html).toContain(testI18n.getFixedT('ko', 'staff')('routing.corrected'));
    const notes = await services.caseWork.listNotes(reportId);
    expect(notes.map((note) => note.body)).toEqual([
      `${testI18n.getFixedT('en', 'staff')('routing.notePrefix')} ${reason}`,
    ]);
    const after = await services.routing.getRouting(reportId);
    expect(after?.agencies).toEqual([
      { agencyId: 'kh-cnp', role: 'primary' },
      { agencyId: 'interpol', role: 'copy' },
    ]);
    expect(after?.plannedBy).toBe(`user:${staff.user.id}`);
    expect(await services.routing.isRoutedTo(reportId, 'th-rtp')).toBe(false);
    // The correction and its note are one change: written at one moment, in one transaction.
    const written = (await listAuditEvents(services.db, { reportId })).filter((event) =>
      ['routing.corrected', 'case.note_added'].includes(event.action),
    );
    expect(written.map((event) => event.action)).toEqual(['routing.corrected', 'case.note_added']);
    expect(new Set(written.map((event) => event.occurredAt)).size).toBe(1);
  });

  it('answers the reporter in their language, in their Telegram chat when they agreed, and says where it went', async () => {
    const { services, api } = harness;
    const reference = await harness.telegramReport(880_001, '텔레그램 투자방에 USDT를 보냈는데 출금이 안 돼요.');
    const reportId = (await services.caseWork.reportIdOf(reference))!;
    const staff = await harness.signedIn('hotline');
    let page = await staff.open(`/staff/cases/${reference}`);
    expect(page.html).toContain('data-message="reply.viaChat" data-channel="telegram"');
    const token = staff.consoleToken(page.html);
    page = await staff.post(`/staff/cases/${reference}/reply`, { token, template: 'received', action: 'preview' });
    const korean = testI18n.getFixedT('ko', 'messages')('templates.received', { reference });
    expect(page.html).toContain(korean);
    page = await staff.post(`/staff/cases/${reference}/reply`, { token, body: korean, action: 'send' });
    expect(page.html).toContain('data-message="reply.sentChat"');
    // The chat shows a neutral first line (a lock screen shows only that), then the message as written.
    const neutral = testI18n.getFixedT('ko', 'conversation')('newMessageFirstLine');
    expect(api.callsOf('sendMessage').at(-1)).toMatchObject({ chat_id: 880_001, text: `${neutral}\n\n${korean}` });
    expect((await services.followups.listMessagesForReporter(reportId)).map((message) => message.body)).toContain(
      korean,
    );

    // The chat refuses (the person blocked the bot): the message stays on the status page, and can be sent again.
    api.failNext('sendMessage', { code: 403, description: 'Forbidden: bot was blocked by the user' });
    page = await staff.post(`/staff/cases/${reference}/reply`, { token, body: 'Are you safe?', action: 'send' });
    expect(messageKeys(page.html)).toContain('chatStatus.failed');
    const failed = (await services.followups.listMessagesForStaff(reportId)).find(
      (message) => message.body === 'Are you safe?',
    )!;
    expect(failed.chatStatus).toBe('failed');
    await staff.post(`/staff/cases/${reference}/messages/${failed.id}/resend`, { token });
    expect((await services.followups.getMessage(failed.id))?.chatStatus).toBe('sent');
    expect(api.callsOf('sendMessage').at(-1)).toMatchObject({ chat_id: 880_001, text: `${neutral}\n\nAre you safe?` });
  });

  it('never writes to the chat of someone who did not agree to be contacted', async () => {
    const { services, api } = harness;
    const reference = await harness.telegramReport(880_002, '사기를 당했어요.');
    const reportId = (await services.caseWork.reportIdOf(reference))!;
    await services.reports.setContactConsent(reportId, false, 'test');
    const staff = await harness.signedIn('hotline');
    const page = await staff.open(`/staff/cases/${reference}`);
    expect(messageKeys(page.html)).toContain('reply.noConsent');
    const calls = api.callsOf('sendMessage').length;
    const sent = await staff.post(`/staff/cases/${reference}/reply`, {
      token: staff.consoleToken(page.html),
      body: 'We read your report.',
      action: 'send',
    });
    expect(sent.html).toContain('data-message="reply.sentPage"');
    expect(api.callsOf('sendMessage').length).toBe(calls);
  });

  it('puts a failed delivery back in the queue', async () => {
    const { services } = harness;
    const { reportId, reference } = await harness.submit({
      consent: { shareWithLawEnforcement: true },
      victim: { currentCountry: 'TH' },
    });
    const id = 'b3c7a2e1-0000-4000-8000-000000000001';
    await services.db
      .insertInto('deliveries')
      .values({
        id,
        report_id: reportId,
        agency_id: 'th-rtp',
        method: 'webhook',
        status: 'failed',
        urgent: 0,
        attempts: 8,
        next_attempt_at: new Date().toISOString(),
        lease_until: null,
        last_error: 'HTTP 500',
        delivered_at: null,
        created_at: new Date().toISOString(),
      })
      .execute();
    const staff = await harness.signedIn('hotline');
    let page = await staff.open(`/staff/cases/${reference}`);
    expect(text(page.html)).toContain('HTTP 500');
    page = await staff.post(`/staff/cases/${reference}/deliveries/${id}/retry`, {
      token: staff.consoleToken(page.html),
    });
    expect(page.html).toContain('data-message="delivery.retried"');
    expect(
      (await services.db.selectFrom('deliveries').select('status').where('id', '=', id).executeTakeFirstOrThrow())
        .status,
    ).toBe('pending');
  });

  it('shows the audit log to administrators only', async () => {
    const { reference } = await harness.submit({ consent: { shareWithLawEnforcement: true } });
    const hotline = await harness.signedIn('hotline');
    await hotline.open(`/staff/cases/${reference}`);
    expect((await hotline.open('/staff/audit')).response.status).toBe(403);
    const admin = await harness.signedIn('admin');
    const log = await admin.open(`/staff/audit?reference=${reference}`);
    expect(log.response.status).toBe(200);
    expect(text(log.html)).toContain(`${hotline.username} user:${hotline.user.id}`);
    expect(pageMessages(log.html)).toContainEqual({
      key: 'history.report_viewed',
      text: expect.stringContaining('report.viewed'),
    });
  });
});
