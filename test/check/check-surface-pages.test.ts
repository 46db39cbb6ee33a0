import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  chromiumAvailable,
  screenshotDir,
  seriousAccessibilityProblems,
  warnIfChromiumMissing,
} from '../support/browser.js';
import { openPublicPortalInBrowser } from '../support/public-portal-in-browser.js';
import { ConversationStore } from '../../intake/store/conversation-store.js';
import { browserFor, createPublicPortal } from '../support/public-portal.js';
import { messageKeys } from '../support/page-messages.js';
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from '../support/test-databases.js';
import { testI18n } from '../support/test-portal.js';
import { onceReportedNumber, reportAndConfirm, warnedNumber } from './check-surface-fixture.js';

const portalText = (language: string) => testI18n.getFixedT(language, 'portal');
const verdicts = (html: string) => [...html.matchAll(/data-verdict="([a-z_]+)"/g)].map((match) => match[1]);
const advice = (html: string) => [...html.matchAll(/data-advice="([a-z_]+)"/g)].map((match) => match[1]);

describe.each(testDatabaseKinds)('check before you pay on the public pages (%s)', (kind) => {
  let database: TestDatabase;
  let portal: Awaited<ReturnType<typeof createPublicPortal>>;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    portal = await createPublicPortal(database);
    await reportAndConfirm(portal.intake);
  });
  afterAll(async () => {
    await portal?.dispose();
    await database?.dispose();
  });

  it.each([
    { language: 'ko', country: 'TH', warned: '+66 81 111 0002', once: '+66-81-555-0003' },
    { language: 'th', country: 'TH', warned: warnedNumber.local, once: onceReportedNumber.local },
    { language: 'vi', country: '', warned: '+66 81 111 0002', once: '(+66) 81 555 0003' },
  ])(
    "the landing page's check box in $language: a warning with its advice and the dispute link; none for one report",
    async ({ language, country, warned, once }) => {
      const visitor = browserFor(portal.app, language);
      const landing = await visitor.open(`/?lang=${language}`);
      expect(landing.html).toContain(`action="/check?lang=${language}"`);
      const answer = await visitor.submit(landing, `/check?lang=${language}`, { value: warned, country });
      expect(answer.response.status).toBe(200);
      expect(verdicts(answer.html)).toEqual(['warning']);
      expect(advice(answer.html)).toEqual(['job_deposit']);
      expect(answer.html).toContain(`href="/check/dispute?lang=${language}"`);
      // A public page like the others: the neutral title, the quick exit, nothing cached.
      expect(answer.html).toContain(`<title>${portalText(language)('disguise.title')}</title>`);
      expect(answer.html).toContain('action="/leave"');
      expect(answer.response.headers.get('cache-control')).toBe('no-store');
      // One smoke of the wording: the warning in the visitor's language.
      expect(answer.html).toContain(portalText(language)('check.warning'));

      const none = await visitor.submit(answer, `/check?lang=${language}`, { value: once, country });
      expect(verdicts(none.html)).toEqual(['no_warning']);
      expect(advice(none.html)).toEqual(['job_deposit', 'withdraw_fee', 'recovery_fee']);
      expect(none.html).not.toContain('/check/dispute');
      // Never how many reported it.
      expect(none.html).not.toMatch(/data-(count|reports)/);
    },
  );

  it('refuses a post without its token, an empty box and a body past its limit, keeping what was typed', async () => {
    const visitor = browserFor(portal.app, 'th');
    await visitor.open('/?lang=th');
    const forged = await visitor.post('/check?lang=th', { value: warnedNumber.local, token: 'forged' });
    expect(forged.response.status).toBe(400);
    expect(messageKeys(forged.html)).toContain('errors.formExpired');
    expect(forged.html).toContain(`value="${warnedNumber.local}"`);
    expect(verdicts(forged.html)).toEqual([]);

    const page = await visitor.open('/check?lang=th');
    const empty = await visitor.submit(page, '/check?lang=th', { value: '   ' });
    expect(empty.response.status).toBe(400);
    expect(messageKeys(empty.html)).toContain('check.empty');

    const huge = await visitor.submit(page, '/check?lang=th', { value: 'ก'.repeat(20_000) });
    expect(huge.response.status).toBe(400);
    expect(messageKeys(huge.html)).toContain('check.tooLong');

    const nothing = await visitor.submit(page, '/check?lang=th', { value: 'สวัสดีครับ', country: 'TH' });
    expect(messageKeys(nothing.html)).toContain('check.nothingRecognised');
  });

  it.each(['ko', 'th', 'vi'])(
    'the dispute form in %s: received with a reference, for staff to review; a missing reason keeps the rest',
    async (language) => {
      const owner = browserFor(portal.app, language);
      const form = await owner.open(`/check/dispute?lang=${language}`);
      expect(form.html).toContain(portalText(language)('check.dispute.title'));
      const missing = await owner.submit(form, `/check/dispute?lang=${language}`, {
        value: warnedNumber.local,
        country: 'TH',
        explanation: ' ',
        contact: 'owner@example.org',
      });
      expect(missing.response.status).toBe(400);
      expect(messageKeys(missing.html)).toContain('check.dispute.explanationMissing');
      expect(missing.html).toContain(`value="${warnedNumber.local}"`);
      expect(missing.html).toContain('value="owner@example.org"');

      const before = (await portal.intake.checkStaff.disputes.list('open')).length;
      const sent = await owner.submit(missing, `/check/dispute?lang=${language}`, {
        value: warnedNumber.local,
        country: 'TH',
        explanation: `This is my shop's number (${language}).`,
        contact: 'owner@example.org',
      });
      expect(sent.response.status).toBe(200);
      expect(messageKeys(sent.html)).toContain('check.dispute.receivedTitle');
      expect(sent.html).toMatch(/CHK-[A-Z0-9]{4}-[A-Z0-9]{4}/);
      expect((await portal.intake.checkStaff.disputes.list('open')).length).toBe(before + 1);
    },
  );

  it('the web chat: /check answers in the chat, and what was checked is not in its transcript', async () => {
    const visitor = browserFor(portal.app, 'vi');
    const chat = await visitor.open('/chat?lang=vi');
    const asked = await visitor.submit(chat, '/chat', { message: '/check' });
    expect(asked.html).toContain(testI18n.getFixedT('vi', 'conversation')('check.ask'));
    const answered = await visitor.submit(asked, '/chat', { message: '+66 81 111 0002' });
    expect(answered.html).toContain(
      testI18n.getFixedT('vi', 'conversation')('check.warning', {
        what: portalText('vi')('form.kind.phone'),
        tail: warnedNumber.tail,
      }),
    );
    expect(answered.html).not.toContain('81 111 0002');
    // The stored conversation (its state and transcript) keeps the answer, never what was checked.
    const session = visitor.cookies.get('rl_chat')!;
    const stored = await new ConversationStore({ db: portal.intake.db, cipher: portal.intake.cipher }).load(
      'webchat',
      session,
    );
    const kept = JSON.stringify(stored?.state);
    expect(kept).toContain(warnedNumber.tail);
    expect(kept).not.toContain('1110002');
  });
});

describe.skipIf(!chromiumAvailable)('the check answer in headless Chromium (th)', () => {
  let opened: Awaited<ReturnType<typeof openPublicPortalInBrowser>>;

  beforeAll(async () => {
    warnIfChromiumMissing();
    opened = await openPublicPortalInBrowser();
    await reportAndConfirm(opened.portal.intake);
  });
  afterAll(async () => {
    await opened?.close();
  });

  it('a Thai visitor checks a number from the landing page and reads the warning and its advice', async () => {
    const page = await opened.newPage('th-TH');
    await page.goto(`${opened.base}/?lang=th`);
    await page.fill('#check-value', `ไลน์บอกให้โอนค่ามัดจำไปที่ ${warnedNumber.local}`);
    // The browser's own language suggested Thailand for a number written the Thai way.
    expect(await page.inputValue('#check-country')).toBe('TH');
    await page.click('form.check-box button[type=submit]');
    await page.waitForSelector('[data-verdict]');
    expect(await page.locator('[data-verdict]').getAttribute('data-verdict')).toBe('warning');
    expect(await page.locator('[data-advice]').allTextContents()).toEqual([
      testI18n.getFixedT('th', 'messages')('check.advice.job_deposit'),
    ]);
    expect(await page.title()).toBe(portalText('th')('disguise.title'));
    // The address says nothing of what was checked.
    expect(page.url()).toBe(`${opened.base}/check?lang=th`);
    expect(await seriousAccessibilityProblems(page, 'check-answer-th')).toEqual([]);

    await page.click('[data-link=dispute]');
    await page.waitForSelector('#dispute-explanation');
    await page.screenshot({ path: join(screenshotDir, 'check-dispute-th.png'), fullPage: true });
  });
});
