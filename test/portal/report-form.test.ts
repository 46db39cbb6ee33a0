import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { languageCodes } from '../../intake/i18n/languages.js';
import { messageKeys, pageMessages } from '../support/page-messages.js';
import { browserFor, createPublicPortal } from '../support/public-portal.js';
import { createTestDatabase, type TestDatabase } from '../support/test-databases.js';
import { testI18n } from '../support/test-portal.js';
import { formLimits } from '../../portal/http/form-limits.js';

const png = (marker: string) =>
  new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...Buffer.from(marker)]);
const pdf = (marker: string) => new Uint8Array(Buffer.from(`%PDF-1.7\n${marker}\n%%EOF`));
/** A photo as a phone takes it: an Exif block with where it was taken. */
const jpegWithLocation = new Uint8Array([
  0xff,
  0xd8,
  0xff,
  0xe1,
  0x00,
  0x40,
  ...Buffer.from('Exif\0\0MM\0*GPSLatitude 11.5564 N GPSLongitude 104.9282 E'),
  0xff,
  0xd9,
]);

describe('the report form', () => {
  let database: TestDatabase;
  let portal: Awaited<ReturnType<typeof createPublicPortal>>;
  let clock = Date.parse('2026-11-20T08:00:00Z');

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    portal = await createPublicPortal(database, { now: () => new Date(clock) });
  });
  afterAll(async () => {
    await portal?.dispose();
    await database?.dispose();
  });

  const countReports = async () =>
    Number(
      (
        await database.db
          .selectFrom('reports')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('takes a report through every step, keeps each step as it is sent, and confirms what it found in the story', async () => {
    const reporter = browserFor(portal.app, 'en-GB,en;q=0.9');
    const start = await reporter.open('/report');
    // Every page of the form has one address: a link names the page to show, the answer comes at /report.
    expect(start.html).toContain('href="/report?go=safety"');
    const begun = await reporter.open('/report?go=safety');
    expect([begun.response.status, begun.response.headers.get('location')]).toEqual([303, '/report']);
    expect(messageKeys((await reporter.open('/report')).html)).toContain('form.step.safety.title');

    let page = await reporter.open('/report/safety');
    page = await reporter.submit(page, '/report/safety', {
      action: 'next',
      'safety.inImmediateDanger': 'no',
      'safety.heldAgainstWill': 'no',
      'victim.currentCountry': 'TH',
      'safety.safeContactMethod': 'LINE only',
    });
    expect(messageKeys(page.html)).toContain('form.step.incident.title');
    expect(page.html).toMatch(/<strong><bdi>[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}<\/bdi><\/strong>/);

    page = await reporter.submit(page, '/report/incident', {
      action: 'next',
      reporterRole: 'victim',
      'incident.category': 'investment_crypto',
      'incident.narrative':
        'A woman on Facebook got me into a trading app. I sent 20,000 baht to KBank 123-4-56789-0 and she used the number +66 81 234 5678. Site: https://thai-trade-pro.com/login',
      'incident.firstContactDate': '2026-09-14',
      'incident.firstContactPlatform': 'Facebook',
      'incident.ongoing': 'yes',
    });
    expect(messageKeys(page.html)).toContain('form.step.money.title');

    page = await reporter.submit(page, '/report/money', {
      action: 'addRow:losses.payments',
      'losses.payments.0.amount': '5,000',
      'losses.payments.0.currency': 'thb',
      'losses.payments.0.method': 'bank_transfer',
    });
    expect(page.html).toContain('Payment 2');
    page = await reporter.submit(page, '/report/money', {
      action: 'next',
      'losses.payments.0.amount': '5,000',
      'losses.payments.0.currency': 'thb',
      'losses.payments.0.method': 'bank_transfer',
      'losses.payments.0.date': '2026-09-20',
      'losses.payments.1.amount': '300 USDT',
      'losses.payments.1.currency': 'USDT-TRC20',
      'losses.payments.1.toAccount': 'TJ7hhYhVhaxNx6BPyq7yFpqZrQULL3JSdb',
      'losses.freezeRequested': 'no',
    });
    expect(messageKeys(page.html)).toContain('form.step.contacts.title');
    page = await reporter.submit(page, '/report/contacts', {
      action: 'next',
      'suspects.names': 'Ploy\nMr. Somchai',
      'suspects.messengerHandles': 'LINE: ploy_trader',
    });
    page = await reporter.submit(page, '/report/evidence', {
      action: 'next',
      files: new File([png('chat screenshot')], 'chat.png', { type: 'image/png' }),
    });
    expect(messageKeys(page.html)).toContain('form.step.about.title');
    page = await reporter.submit(page, '/report/about', {
      action: 'next',
      'victim.nationality': 'TH',
      'victim.languagesSpoken': 'Thai, English',
      'consent.shareWithLawEnforcement': 'yes',
      'consent.contactBack': 'yes',
    });
    expect(messageKeys(page.html)).toContain('form.step.review.title');

    // The review shows the answers and what the story mentions that the answers do not list yet.
    expect(page.html).toContain('chat.png');
    expect(page.html).toContain('Ploy');
    expect(page.html).toContain('value="phone:+66812345678"');
    expect(page.html).toContain('value="bank_account:kasikorn:1234567890"');
    expect(page.html).toContain('value="url:https://thai-trade-pro.com/login"');
    expect(page.html).toContain('value="amount:20000 THB"');

    // The reporter unticks the site (say it is wrong) and keeps the rest.
    const done = await reporter.submit(page, '/report/submit', {
      found: ['phone:+66812345678', 'bank_account:kasikorn:1234567890', 'amount:20000 THB'],
    });
    expect(done.response.status).toBe(200);
    expect(messageKeys(done.html)).toContain('form.done.title');
    const reference = /RL-[0-9A-Z]{4}-[0-9A-Z]{4}/.exec(done.html)![0];
    const receiptCode = /data-copy="([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})"/.exec(done.html)![1]!;
    expect(done.html).toContain('Royal Thai Police');
    expect(done.html).toContain('1441');
    expect(messageKeys(done.html)).toContain('conversation:advice.callBank');

    const stored = (await portal.intake.reports.getReport(reference))!;
    expect(stored.report).toMatchObject({
      channel: 'web',
      language: 'en',
      reporterRole: 'victim',
      consent: { shareWithLawEnforcement: true, contactBack: true },
      safety: { inImmediateDanger: false, heldAgainstWill: false, safeContactMethod: 'LINE only' },
      victim: { currentCountry: 'TH', nationality: 'TH', languagesSpoken: ['Thai', 'English'] },
      incident: { category: 'investment_crypto', firstContactDate: '2026-09-14', ongoing: true },
      losses: {
        freezeRequested: false,
        payments: [
          { amount: 5000, currency: 'THB', method: 'bank_transfer', date: '2026-09-20' },
          { amount: 300, currency: 'USDT-TRC20', toAccount: 'TJ7hhYhVhaxNx6BPyq7yFpqZrQULL3JSdb' },
          { amount: 20000, currency: 'THB' },
        ],
      },
      suspects: { names: ['Ploy', 'Mr. Somchai'], phones: ['+66812345678'], websites: [] },
    });
    expect(stored.report.suspects.bankAccounts).toEqual(['KBank 123-4-56789-0']);
    expect(stored.report.evidence.map((file) => file.fileName)).toEqual(['chat.png']);
    expect(await portal.intake.reports.verifyReceipt(reference, receiptCode)).toBe(stored.report.id);

    // Sending again (a double tap, a reload) stores nothing new and shows the same receipt.
    const before = await countReports();
    const again = await reporter.post('/report/submit', { token: reporter.token(done.html) });
    expect(again.html).toContain(reference);
    expect(await countReports()).toBe(before);

    // Sent from two tabs at the same moment: one report, and both see its receipt.
    const twice = browserFor(portal.app, 'en');
    let draftPage = await twice.open('/report/about');
    draftPage = await twice.submit(draftPage, '/report/about', {
      action: 'next',
      'consent.shareWithLawEnforcement': 'yes',
    });
    const counted = await countReports();
    const [first, second] = await Promise.all([
      twice.submit(draftPage, '/report/submit', {}),
      twice.submit(draftPage, '/report/submit', {}),
    ]);
    expect([first.response.status, second.response.status]).toEqual([200, 200]);
    expect(/RL-[0-9A-Z]{4}-[0-9A-Z]{4}/.exec(first.html)?.[0]).toBe(
      /RL-[0-9A-Z]{4}-[0-9A-Z]{4}/.exec(second.html)?.[0],
    );
    expect(await countReports()).toBe(counted + 1);

    // The print-friendly version has the codes and no form but the quick exit (which print hides).
    const print = await reporter.open('/report?print=1');
    expect(print.html).toContain(receiptCode);
    expect([...print.html.matchAll(/<form [^>]*action="([^"]+)"/g)].map((match) => match[1])).toEqual(['/leave']);
  });

  it('saves a half-finished report, and opens it again anywhere with the resume code (posted: never in an address)', async () => {
    const first = browserFor(portal.app, 'ko');
    let page = await first.open('/report/safety');
    page = await first.submit(page, '/report/safety', { action: 'next', 'safety.inImmediateDanger': 'no' });
    page = await first.submit(page, '/report/incident', {
      action: 'next',
      'incident.narrative': '텔레그램 투자방에서 USDT를 보냈어요.',
    });
    const code = /<strong><bdi>([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})<\/bdi><\/strong>/.exec(page.html)![1]!;

    // Another phone: the code typed loosely (lower case, spaces) opens the same draft.
    const second = browserFor(portal.app, 'en');
    const start = await second.open('/report');
    const resumed = await second.submit(start, '/report/resume', { code: code.toLowerCase().replace(/-/g, ' ') });
    expect(messageKeys(resumed.html)).toContain('form.step.review.title');
    expect(resumed.html).toContain('lang="ko"');
    expect(resumed.html).toContain('텔레그램 투자방에서 USDT를 보냈어요.');

    // A link with the code in it (from before) opens nothing: it leads to the form, without the code in the
    // address the history keeps; the code posted there opens the draft, and what the third phone adds is saved.
    const third = browserFor(portal.app, 'ko');
    const viaLink = await third.open(`/report/resume?code=${code}`);
    expect(viaLink.response.status).toBe(303);
    expect(viaLink.response.headers.get('location')).toBe('/report/resume');
    const form = await third.open('/report/resume');
    expect(form.html).toContain('action="/report/resume"');
    expect(form.html).not.toContain(code);
    await third.submit(form, '/report/resume', { code });
    const incident = await third.open('/report/incident');
    expect(incident.html).toContain('텔레그램 투자방에서 USDT를 보냈어요.');
  });

  it('answers a wrong resume code plainly, and limits the tries', async () => {
    const guesser = browserFor(portal.app, 'en');
    const start = await guesser.open('/report');
    const wrong = await guesser.submit(start, '/report/resume', { code: 'AAAA-BBBB-CCCC' });
    expect(wrong.response.status).toBe(400);
    expect(messageKeys(wrong.html)).toContain('form.resume.notFound');
    expect(wrong.html).toContain('value="AAAA-BBBB-CCCC"');
    let last = wrong;
    for (let i = 0; i < 10; i += 1)
      last = await guesser.submit(start, '/report/resume', { code: `AAAA-BBBB-CC${String(i).padStart(2, '0')}` });
    expect(last.response.status).toBe(429);
    expect(messageKeys(last.html)).toContain('status.tooMany');
  });

  it('shows each bad answer beside its field, translated, keeping everything typed', async () => {
    const reporter = browserFor(portal.app, 'th');
    let page = await reporter.open('/report/incident');
    page = await reporter.submit(page, '/report/incident', {
      action: 'next',
      'incident.narrative': 'เรื่องยาวมาก',
      'incident.firstContactDate': '2027-01-01',
      'incident.firstContactPlatform': 'x'.repeat(501),
      'incident.category': 'not-a-category',
    });
    expect(page.response.status).toBe(400);
    expect(page.html).toContain('class="error-summary"');
    expect(page.html).toContain('id="f-incident-firstContactDate-error"');
    expect(page.html).toContain('id="f-incident-firstContactPlatform-error"');
    expect(page.html).toContain('id="f-incident-category-error"');
    expect(page.html).toContain('value="2027-01-01"');
    expect(page.html).toContain('x'.repeat(501));
    expect(page.html).toContain('เรื่องยาวมาก');
    expect(page.html).toContain('lang="th"');

    page = await reporter.submit(page, '/report/money', {
      action: 'next',
      'losses.payments.0.amount': 'a lot',
      'losses.payments.0.currency': '',
    });
    expect(page.response.status).toBe(400);
    expect(page.html).toContain('id="f-losses-payments-0-amount-error"');
    // An amount in words brings its currency; one in the reader's own digits is a number too.
    page = await reporter.submit(page, '/report/money', {
      action: 'next',
      'losses.payments.0.amount': '300만원',
      'losses.payments.1.amount': '',
    });
    expect(page.response.status).toBe(200);
    expect(page.html).not.toContain('f-losses-payments-0-amount-error');
    page = await reporter.open('/report/money');
    page = await reporter.submit(page, '/report/money', {
      action: 'next',
      'losses.payments.0.amount': '၅၀၀၀၀၀',
      'losses.payments.0.currency': 'MMK',
    });
    expect(page.response.status).toBe(200);
    expect(page.html).not.toContain('f-losses-payments-0-amount-error');

    page = await reporter.open('/report/safety');
    page = await reporter.submit(page, '/report/safety', { action: 'next', 'victim.currentCountry': 'XX' });
    expect(page.response.status).toBe(400);
    expect(page.html).toContain('id="f-victim-currentCountry-error"');

    // Consent is the one question that cannot be skipped.
    page = await reporter.open('/report/about');
    page = await reporter.submit(page, '/report/about', { action: 'next', 'victim.nameOrAlias': 'Nok' });
    expect(page.response.status).toBe(400);
    expect(page.html).toContain('id="f-consent-shareWithLawEnforcement-error"');
    expect(page.html).toContain('value="Nok"');
    // Going back is always possible; nothing is lost on the way.
    const back = await reporter.submit(page, '/report/about', { action: 'back', 'victim.nameOrAlias': 'Nok' });
    expect(messageKeys(back.html)).toContain('form.step.evidence.title');
    const review = await reporter.open('/report/review');
    expect(review.html).toContain('Nok');
    expect(review.html).toContain('href="/report?go=about#f-consent-shareWithLawEnforcement"');
    const refused = await reporter.submit(review, '/report/submit', {});
    expect(refused.response.status).toBe(400);
  });

  it('refuses a post from another site, keeping what was typed and storing nothing', async () => {
    const reporter = browserFor(portal.app, 'en');
    await reporter.open('/report/incident');
    const before = await database.db.selectFrom('report_drafts').select('id').execute();
    const forged = await reporter.post('/report/incident', {
      action: 'next',
      'incident.narrative': 'typed before the page expired',
    });
    expect(forged.response.status).toBe(400);
    expect(messageKeys(forged.html)).toContain('errors.formExpired');
    expect(forged.html).toContain('typed before the page expired');
    expect(await database.db.selectFrom('report_drafts').select('id').execute()).toHaveLength(before.length);
  });

  it('takes images and PDF documents up to the limits, checks their type from the bytes, and keeps photos as taken without showing them', async () => {
    const reporter = browserFor(portal.app, 'en');
    let page = await reporter.open('/report/evidence');
    page = await reporter.submit(page, '/report/evidence', {
      action: 'upload',
      files: [
        new File([jpegWithLocation], 'IMG_2041.jpg', { type: 'image/jpeg' }),
        new File([pdf('bank slip')], 'slip.pdf', { type: 'application/pdf' }),
        new File([Buffer.from('MZ\x90\x00 not an image at all')], 'photo.jpg', { type: 'image/jpeg' }),
        new File([new Uint8Array(1024 * 1024 + 1).fill(0xff)], 'huge.jpg', { type: 'image/jpeg' }),
        new File([png('<img src=x onerror=alert(1)>')], '<img src=x onerror=alert(1)>.png', { type: 'image/png' }),
      ],
    });
    expect(page.response.status).toBe(400);
    expect(pageMessages(page.html)).toEqual(
      expect.arrayContaining([
        { key: 'form.error.fileType', text: expect.stringContaining('photo.jpg') },
        { key: 'form.error.fileTooLarge', text: expect.stringContaining('huge.jpg') },
      ]),
    );
    expect(page.html).toContain('IMG_2041.jpg');
    expect(page.html).toContain('slip.pdf');
    expect(page.html).toContain('&lt;img src=x onerror=alert(1)&gt;.png');
    expect(page.html).not.toContain('<img src=x');

    // The photo is stored byte for byte, location included, for investigators; no public page shows it or where it is.
    const drafts = await database.db.selectFrom('report_drafts').select('id').orderBy('created_at', 'desc').execute();
    const draft = (await Promise.all(drafts.map((row) => portal.intake.drafts.load(row.id)))).find((item) =>
      JSON.stringify(item?.content).includes('IMG_2041.jpg'),
    )!;
    const photo = (draft.content as { evidence: Array<{ fileName: string; sha256: string }> }).evidence.find(
      (file) => file.fileName === 'IMG_2041.jpg',
    )!;
    const storedPath = `evidence/${photo.sha256.slice(0, 2)}/${photo.sha256}.jpg`;
    expect(new Uint8Array(readFileSync(join(portal.evidenceDir, storedPath)))).toEqual(jpegWithLocation);
    expect(page.html).not.toContain('11.5564');
    expect(page.html).not.toContain(storedPath);
    expect((await portal.app.request(`/${storedPath}`)).status).toBe(404);

    // Ten files at most.
    const more = Array.from(
      { length: 8 },
      (_, index) => new File([png(`screenshot ${index}`)], `shot-${index}.png`, { type: 'image/png' }),
    );
    page = await reporter.submit(page, '/report/evidence', { action: 'upload', files: more });
    expect(page.response.status).toBe(400);
    expect(messageKeys(page.html)).toContain('form.error.tooManyFiles');
    expect([...page.html.matchAll(/name="remove"/g)]).toHaveLength(10);

    // A file can be taken out again.
    const slip = /name="remove" value="([0-9a-f]{64})" aria-label="Remove slip.pdf"/.exec(page.html)![1]!;
    page = await reporter.submit(page, '/report/evidence', { remove: slip });
    expect(page.html).not.toContain('slip.pdf');
  });

  it('shows the numbers to call on every step once someone says they are in danger, with a way to send at once', async () => {
    const reporter = browserFor(portal.app, 'km');
    let page = await reporter.open('/report/safety');
    page = await reporter.submit(page, '/report/safety', {
      action: 'next',
      'safety.heldAgainstWill': 'yes',
      'victim.currentCountry': 'KH',
    });
    expect(page.html).toContain('class="urgent"');
    expect(page.html).toContain('href="tel:117"');
    expect(page.html).toContain('href="/report?go=urgent"');
    const money = await reporter.open('/report/money');
    expect(money.html).toContain('href="tel:117"');
  });

  it('sends an urgent report from one short page: consent and a safe way to contact, nothing else asked', async () => {
    const reporter = browserFor(portal.app, 'my');
    const safety = await reporter.open('/report/safety');
    const next = await reporter.submit(safety, '/report', {
      step: 'safety',
      action: 'next',
      'safety.inImmediateDanger': 'yes',
      'victim.currentCountry': 'MM',
    });
    expect(next.html).toContain('href="/report?go=urgent"');
    await reporter.open('/report?go=urgent');
    const page = await reporter.open('/report');
    expect(messageKeys(page.html)).toContain('form.step.urgent.title');
    const asked = [...page.html.matchAll(/<(?:input|textarea|select)[^>]* name="([^"]+)"/g)].map((m) => m[1]);
    expect([...new Set(asked)]).toEqual([
      'token',
      'step',
      'consent.shareWithLawEnforcement',
      'consent.contactBack',
      'safety.safeContactMethod',
    ]);
    // Without consent nothing is sent, and what was typed stays.
    const refused = await reporter.submit(page, '/report', {
      step: 'urgent',
      action: 'send',
      'safety.safeContactMethod': 'Signal after 22:00',
    });
    expect(refused.response.status).toBe(400);
    expect(refused.html).toContain('id="f-consent-shareWithLawEnforcement-error"');
    expect(refused.html).toContain('value="Signal after 22:00"');
    const before = await countReports();
    const sent = await reporter.submit(refused, '/report', {
      step: 'urgent',
      action: 'send',
      'consent.shareWithLawEnforcement': 'yes',
      'consent.contactBack': 'yes',
      'safety.safeContactMethod': 'Signal after 22:00',
    });
    expect(messageKeys(sent.html)).toContain('form.done.title');
    expect(await countReports()).toBe(before + 1);
    const reference = /RL-[0-9A-Z]{4}-[0-9A-Z]{4}/.exec(sent.html)![0];
    expect((await portal.intake.reports.getReport(reference))!.report).toMatchObject({
      safety: { inImmediateDanger: true, safeContactMethod: 'Signal after 22:00' },
      victim: { currentCountry: 'MM' },
    });
  });

  it('shows the receipt code only in the browser session that sent the report; its resume code then opens nothing', async () => {
    const reporter = browserFor(portal.app, 'ar');
    let page = await reporter.open('/report/incident');
    page = await reporter.submit(page, '/report', { step: 'incident', action: 'next', 'incident.narrative': 'x' });
    const code = /class="code"><strong><bdi>([0-9A-Z-]+)</.exec(page.html)![1]!;
    // Someone else opens the draft with its resume code before it is sent.
    const watcher = browserFor(portal.app, 'ar');
    const start = await watcher.open('/report');
    await watcher.submit(start, '/report/resume', { code });
    page = await reporter.open('/report/about');
    page = await reporter.submit(page, '/report', {
      step: 'about',
      action: 'next',
      'consent.shareWithLawEnforcement': 'yes',
    });
    const done = await reporter.submit(page, '/report', { step: 'review' });
    const reference = /RL-[0-9A-Z]{4}-[0-9A-Z]{4}/.exec(done.html)![0];
    const { receiptCode } = (await portal.intake.reports.findSubmission({
      scope: 'web-form',
      key: decodeURIComponent(reporter.cookies.get('rl_report')!).split('.')[0]!,
    }))!;
    expect(done.html).toContain(receiptCode);
    // The other browser holds the draft, yet sees neither code.
    const elsewhere = await watcher.open('/report/done');
    expect(messageKeys(elsewhere.html)).toContain('form.done.sentElsewhere');
    expect(elsewhere.html).not.toContain(receiptCode);
    expect(elsewhere.html).not.toContain(reference);
    // And the resume code of a sent draft opens nothing, in any browser.
    const third = browserFor(portal.app, 'ar');
    const resumed = await third.submit(await third.open('/report'), '/report/resume', { code });
    expect(messageKeys(resumed.html)).toContain('form.resume.notFound');
    expect(resumed.html).not.toContain(receiptCode);
  });

  it('recognises a report stored just before a crash as sent, and shows its receipt', async () => {
    const reporter = browserFor(portal.app, 'en');
    const page = await reporter.open('/report/about');
    await reporter.submit(page, '/report/about', { action: 'next', 'consent.shareWithLawEnforcement': 'yes' });
    const draftId = decodeURIComponent(reporter.cookies.get('rl_report')!).split('.')[0]!;
    // Sending tags the draft with the sending browser session (as submitDraft does before it stores the report)...
    const session = decodeURIComponent(reporter.cookies.get('rl_form')!);
    await portal.intake.drafts.update(draftId, (content) => ({
      ...(content as object),
      sentBy: portal.intake.cipher.hashSecret('report-draft-sender', session),
    }));
    // ...then the report is stored, and the process dies before the draft is marked as sent.
    const stored = await portal.intake.reports.submitReport(
      { consent: { shareWithLawEnforcement: true }, channel: 'web' },
      { actor: 'channel:web', idempotency: { scope: 'web-form', key: draftId } },
    );
    const done = await reporter.open('/report/done');
    expect(done.html).toContain(stored.reference);
    expect(done.html).toContain(stored.receiptCode);
    const before = await countReports();
    await reporter.post('/report/submit', { token: reporter.token(done.html) });
    expect(await countReports()).toBe(before);
  });

  it('limits how many reports one browser sends in an hour', async () => {
    const reporter = browserFor(portal.app, 'en');
    const statuses: number[] = [];
    for (let i = 0; i < 6; i += 1) {
      let page = await reporter.open('/report/about');
      page = await reporter.submit(page, '/report/about', { action: 'next', 'consent.shareWithLawEnforcement': 'no' });
      const sent = await reporter.submit(page, '/report/submit', {});
      statuses.push(sent.response.status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    clock += 61 * 60_000;
    const page = await reporter.open('/report/review');
    expect((await reporter.submit(page, '/report/submit', {})).response.status).toBe(200);
  });

  it('refuses a body larger than the limit with a translated page, and sets no long-lived cookie', async () => {
    const reporter = browserFor(portal.app, 'vi');
    const page = await reporter.open('/report/incident');
    const huge = await portal.app.request('/report/incident', {
      method: 'POST',
      headers: {
        cookie: [...reporter.cookies].map(([name, value]) => `${name}=${value}`).join('; '),
        'content-type': 'application/x-www-form-urlencoded',
        'content-length': String(formLimits.text.maxBytes + 1024),
        'accept-language': 'vi',
      },
      body: `token=${reporter.token(page.html)}&incident.narrative=${'a'.repeat(formLimits.text.maxBytes + 1024)}`,
    });
    expect(huge.status).toBe(413);
    const refused = await huge.text();
    expect(refused).toContain('lang="vi"');
    // A text step sends no files: the page says what was typed was too long, not that files were.
    expect(messageKeys(refused)).toContain('form.error.textTooLarge');
    expect(messageKeys(refused)).not.toContain('form.error.requestTooLarge');
    // The page carries the limits for the script that checks the next post before it is sent.
    expect(refused).toContain(`data-max-bytes="${formLimits.text.maxBytes}"`);
    expect(refused).toContain('src="/assets/form-size.js"');
    for (const cookie of page.response.headers.getSetCookie()) expect(cookie).not.toMatch(/expires|max-age/i);
    expect(page.response.headers.get('cache-control')).toBe('no-store');
    expect(page.response.headers.get('content-security-policy')).toContain("script-src 'self'");
  });

  /** The English texts a language translates differently: none of them may show on its pages. */
  function englishOnlyTexts(language: string): string[] {
    const english = flatten(testI18n.getResourceBundle('en', 'portal'));
    const translated = flatten(testI18n.getResourceBundle(language, 'portal') ?? {});
    return [...english]
      .filter(([key, text]) => translated.get(key) !== text && !text.includes('{{'))
      .map(([, text]) => text);
  }

  it.each(languageCodes.filter((code) => code !== 'en'))(
    'shows every step in %s, and no English text that language translates',
    async (language) => {
      const english = englishOnlyTexts(language);
      const reporter = browserFor(portal.app, language);
      const page = await reporter.open('/report/safety');
      await reporter.submit(page, '/report/safety', {
        action: 'next',
        'safety.inImmediateDanger': 'yes',
        'victim.currentCountry': 'TH',
      });
      for (const step of [
        '/report',
        '/report/safety',
        '/report/incident',
        '/report/money',
        '/report/contacts',
        '/report/evidence',
        '/report/about',
        '/report/review',
      ]) {
        const { html } = await reporter.open(step);
        expect(html).toContain(`lang="${language}"`);
        const shown = [...html.matchAll(/>([^<]+)</g)].map((match) => match[1]!.trim());
        expect(shown.filter((text) => english.includes(text)).map((text) => `${step}: ${text}`)).toEqual([]);
      }
    },
  );
});

function flatten(tree: object, prefix = '', into = new Map<string, string>()): Map<string, string> {
  for (const [key, value] of Object.entries(tree)) {
    if (typeof value === 'string') into.set(`${prefix}${key}`, value);
    else if (value && typeof value === 'object') flatten(value as object, `${prefix}${key}.`, into);
  }
  return into;
}
