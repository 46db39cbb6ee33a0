import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveEvidenceFile } from '../../intake/evidence/evidence-files.js';
import { chatEvidenceLimits } from '../../app/assemble-conversations.js';
import { agencyName } from '../../intake/routing/display-names.js';
import { listAuditEvents } from '../../intake/store/audit-log.js';
import { openConsoleHarness, type ConsoleHarness } from '../support/console-harness.js';
import { messageKeys } from '../support/page-messages.js';
import { browserFor } from '../support/public-portal.js';
import { testI18n } from '../support/test-portal.js';

const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, ' ');

describe('the agency inbox', () => {
  let harness: ConsoleHarness;
  beforeAll(async () => {
    harness = await openConsoleHarness();
  });
  afterAll(async () => harness?.close());

  /** The reporter's own status page, opened with their reference and receipt code. */
  async function statusPage(reference: string, receiptCode: string, language: string) {
    const reporter = browserFor(harness.app, language);
    const form = await reporter.open('/status');
    return reporter.submit(form, '/status', { reference, code: receiptCode });
  }

  it('lists the agency’s cases urgent first, then the newest, with what it answered', async () => {
    const older = await harness.submit({
      consent: { shareWithLawEnforcement: true },
      victim: { currentCountry: 'LA' },
    });
    const urgent = await harness.submit({
      consent: { shareWithLawEnforcement: true },
      victim: { currentCountry: 'LA' },
      safety: { inImmediateDanger: true },
    });
    const newer = await harness.submit({
      consent: { shareWithLawEnforcement: true },
      victim: { currentCountry: 'LA' },
    });
    const police = await harness.signedIn('agency', 'la-police');
    const inbox = await police.open('/agency');
    const order = [...inbox.html.matchAll(/href="\/agency\/cases\/(RL-[0-9A-Z-]+)"/g)].map((match) => match[1]);
    expect(order.slice(0, 3)).toEqual([urgent.reference, newer.reference, older.reference]);
    expect(messageKeys(inbox.html)).toContain('agencyResponse.open');
  });

  it('accepts a referral: the case is with the agency, and the reporter is told in Korean on their status page and in their chat', async () => {
    const { services, api } = harness;
    const reference = await harness.telegramReport(990_001, '캄보디아 투자 사기예요. 연락처 +855 97 765 4321');
    const reportId = (await services.caseWork.reportIdOf(reference))!;
    const routed = (await services.routing.getRouting(reportId))!.agencies.map((agency) => agency.agencyId);
    const agencyId = routed[0]!;
    const officer = await harness.signedIn('agency', agencyId);
    let page = await officer.open(`/agency/cases/${reference}`);
    expect(text(page.html)).toContain('+855 97 765 4321');
    const token = officer.consoleToken(page.html);
    page = await officer.post(`/agency/cases/${reference}/decision`, { token, decision: 'accepted' });
    expect(page.html).toContain('data-message="inbox.accepted"');
    expect((await services.caseWork.getState(reportId))?.status).toBe('with_agency');
    const inKorean = agencyName(services.directory, agencyId, 'ko');
    // In the chat, after its neutral first line (what a lock screen shows).
    const neutral = testI18n.getFixedT('ko', 'conversation')('newMessageFirstLine');
    const korean = testI18n.getFixedT('ko', 'messages')('updates.accepted', { agency: inKorean, reference });
    expect(api.callsOf('sendMessage').at(-1)).toMatchObject({ chat_id: 990_001, text: `${neutral}\n\n${korean}` });

    page = await officer.post(`/agency/cases/${reference}/case-number`, { token, caseNumber: 'KNPA-2026-0042' });
    expect(page.html).toContain('value="KNPA-2026-0042"');
    page = await officer.post(`/agency/cases/${reference}/action`, {
      token,
      action: 'account_frozen',
      note: 'Frozen at KB, account ending 9012.',
    });
    expect(page.html).toContain('data-message="inbox.recorded"');
    const frozen = testI18n.getFixedT('ko', 'messages')('updates.actions.account_frozen', {
      agency: inKorean,
      reference,
    });
    expect(api.callsOf('sendMessage').at(-1)).toMatchObject({ chat_id: 990_001, text: `${neutral}\n\n${frozen}` });

    // The reporter checks their report: the new status and both messages, in Korean; the agency's note is not there.
    const stored = await services.reports.findSubmission({
      scope: 'conversation',
      key: (
        await services.db
          .selectFrom('idempotency_keys')
          .select('key')
          .where('report_id', '=', reportId)
          .executeTakeFirstOrThrow()
      ).key,
    });
    const status = await statusPage(reference, stored!.receiptCode, 'ko');
    expect(status.html).toContain(testI18n.getFixedT('ko', 'conversation')('status.with_agency'));
    expect(status.html).toContain(korean);
    expect(status.html).toContain(frozen);
    expect(status.html).not.toContain('account ending 9012');

    // Hotline staff see the answer, the case number and the note.
    const staff = await harness.signedIn('hotline');
    const casePage = (await staff.open(`/staff/cases/${reference}`)).html;
    const answer = new RegExp(`<li data-agency="${agencyId}" data-decision="accepted">(.*?)</li>`).exec(casePage);
    expect(text(answer?.[1] ?? '')).toContain('KNPA-2026-0042');
    expect(text(casePage)).toContain('Frozen at KB, account ending 9012.');
  });

  it('declines only with a reason, which the hotline reads and the reporter is not told', async () => {
    const { services } = harness;
    const { reportId, reference, receiptCode } = await harness.submit({
      consent: { shareWithLawEnforcement: true, contactBack: true },
      language: 'th',
      victim: { currentCountry: 'TH' },
    });
    const police = await harness.signedIn('agency', 'th-rtp');
    let page = await police.open(`/agency/cases/${reference}`);
    const token = police.consoleToken(page.html);
    page = await police.post(`/agency/cases/${reference}/decision`, { token, decision: 'declined', reason: '' });
    expect(page.response.status).toBe(400);
    expect(page.html).toContain('data-message="inbox.reasonRequired"');
    page = await police.post(`/agency/cases/${reference}/decision`, {
      token,
      decision: 'declined',
      reason: 'The money went to a bank in Laos; Lao Police should lead.',
    });
    expect(page.html).toContain('data-message="inbox.declined"');
    expect((await services.agencyResponses.list(reportId))[0]).toMatchObject({
      agencyId: 'th-rtp',
      decision: 'declined',
      reason: 'The money went to a bank in Laos; Lao Police should lead.',
    });
    expect((await services.caseWork.getState(reportId))?.status).toBe('new');
    expect(await services.followups.listMessagesForReporter(reportId)).toEqual([]);
    const status = await statusPage(reference, receiptCode, 'th');
    expect(status.html).not.toContain('Laos');
    expect(
      (await police.post(`/agency/cases/${reference}/case-number`, { token, caseNumber: '   ' })).response.status,
    ).toBe(400);
    expect(
      (await police.post(`/agency/cases/${reference}/action`, { token, action: 'arrested_everyone' })).response.status,
    ).toBe(400);
    const actions = (await listAuditEvents(services.db, { reportId })).map((event) => event.action);
    expect(actions).toEqual(expect.arrayContaining(['report.viewed', 'agency.declined']));
  });

  it('shows evidence to those allowed: pictures inline and locked down, other files as downloads, each look audited', async () => {
    const { services } = harness;
    const dir = services.config.dataDir;
    const photo = saveEvidenceFile(
      dir,
      new Uint8Array([0xff, 0xd8, 0xff, 0xe0, ...Buffer.from('JFIF photo of the compound')]),
      { fileName: 'compound.jpg', limits: chatEvidenceLimits(1024 * 1024) },
    );
    const slip = saveEvidenceFile(dir, new Uint8Array(Buffer.from('%PDF-1.7 bank slip')), {
      fileName: 'slip.pdf',
      limits: chatEvidenceLimits(1024 * 1024),
    });
    const { reportId, reference } = await harness.submit({
      consent: { shareWithLawEnforcement: true },
      victim: { currentCountry: 'TH' },
      evidence: [photo, slip],
    });
    const police = await harness.signedIn('agency', 'th-rtp');
    const page = await police.open(`/agency/cases/${reference}`);
    expect(page.html).toContain(`<img src="/agency/evidence/${reference}/${photo.sha256}"`);
    const image = await harness.app.request(`/agency/evidence/${reference}/${photo.sha256}`, {
      headers: { cookie: [...police.cookies].map(([name, value]) => `${name}=${value}`).join('; ') },
    });
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/jpeg');
    expect(image.headers.get('x-content-type-options')).toBe('nosniff');
    expect(image.headers.get('content-security-policy')).toContain('sandbox');
    expect(image.headers.get('content-disposition')).toMatch(/^inline/);
    const pdf = await harness.app.request(`/agency/evidence/${reference}/${slip.sha256}`, {
      headers: { cookie: [...police.cookies].map(([name, value]) => `${name}=${value}`).join('; ') },
    });
    expect(pdf.headers.get('content-type')).toBe('application/octet-stream');
    expect(pdf.headers.get('content-disposition')).toContain(
      'attachment; filename="evidence"; filename*=UTF-8\'\'slip.pdf',
    );
    expect(Buffer.from(await pdf.arrayBuffer()).toString()).toBe('%PDF-1.7 bank slip');
    // A file that is not this case's is not served, even if it exists.
    const other = saveEvidenceFile(dir, new Uint8Array(Buffer.from('%PDF-1.7 someone else')), {
      fileName: 'other.pdf',
      limits: chatEvidenceLimits(1024 * 1024),
    });
    expect((await police.open(`/agency/evidence/${reference}/${other.sha256}`)).response.status).toBe(404);
    const staff = await harness.signedIn('hotline');
    expect((await staff.open(`/staff/evidence/${reference}/${photo.sha256}`)).response.status).toBe(200);
    const looks = (await listAuditEvents(services.db, { reportId })).filter(
      (event) => event.action === 'evidence.viewed',
    );
    expect(looks.map((event) => event.actor)).toEqual([
      `user:${police.user.id}`,
      `user:${police.user.id}`,
      `user:${staff.user.id}`,
    ]);
  });
});
