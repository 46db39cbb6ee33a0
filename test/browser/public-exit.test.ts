import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  allAccessibilityProblems,
  chromiumAvailable,
  launchChromium,
  screenshotDir,
  screenshotIfAsked,
  serveOnLoopback,
  warnIfChromiumMissing,
} from '../support/browser.js';
import { createPublicPortal } from '../support/public-portal.js';
import { createTestDatabase, type TestDatabase } from '../support/test-databases.js';
import { testI18n } from '../support/test-portal.js';

warnIfChromiumMissing();

const phone = { width: 390, height: 844 };
const exitUrl = 'https://www.bbc.com/weather';
const languages = ['ko', 'ar', 'my'] as const;
type Language = (typeof languages)[number];
/** What a reporter types, in their language: none of it may be seen again after the exit. */
const stories: Record<Language, string> = {
  ko: '캄보디아 회사에 갇혀 있어요. 여권을 빼앗겼습니다.',
  ar: 'أنا محتجز في مجمع في كمبوديا وأخذوا جواز سفري.',
  my: 'ကမ္ဘောဒီးယားက ကုမ္ပဏီမှာ ပိတ်မိနေပါတယ်။ ပတ်စ်ပို့ သိမ်းထားတယ်။',
};

/** The addresses our pages may leave in the history: each page's one address, with the language at most. */
const neutralAddress = /^\/(report|chat|status)?(\?lang=[a-z]{2,3})?$/;

/**
 * The reporter whose phone may be checked, in Chromium at phone size, with and
 * without JavaScript: after the quick exit, Back, a fresh visit and the
 * history (Page.getNavigationHistory) show nothing of the report.
 */
describe.skipIf(!chromiumAvailable)('the quick exit leaves no trace, in headless Chromium at phone size', () => {
  let database: TestDatabase;
  let portal: Awaited<ReturnType<typeof createPublicPortal>>;
  let server: Awaited<ReturnType<typeof serveOnLoopback>>;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    portal = await createPublicPortal(database);
    server = await serveOnLoopback(portal.app.fetch);
    base = server.base;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await portal?.dispose();
    await database?.dispose();
  });

  /** A phone's browser (touch, no hover), with or without scripts; launchChromium answers the neutral site. */
  function phoneContext(locale: string, javaScript: boolean): Promise<BrowserContext> {
    return browser.newContext({
      viewport: phone,
      locale,
      javaScriptEnabled: javaScript,
      hasTouch: true,
      isMobile: true,
    });
  }

  /**
   * Runs a check in ko, ar and my at once, each language in its own browser contexts, with and then without
   * JavaScript: the three are independent (their own report, draft or chat), and while one page waits on the
   * server or on Chromium another is worked on.
   */
  async function inEachLanguageAtOnce(check: (language: Language, javaScript: boolean) => Promise<void>) {
    await Promise.all(
      languages.map(async (language) => {
        for (const javaScript of [true, false]) await check(language, javaScript);
      }),
    );
  }

  async function history(page: Page) {
    const cdp = await page.context().newCDPSession(page);
    const { entries } = (await cdp.send('Page.getNavigationHistory')) as {
      entries: Array<{ url: string; title: string }>;
    };
    await cdp.detach();
    return entries;
  }

  async function leave(page: Page) {
    await page.click('button[data-leave]');
    await page.waitForURL(exitUrl);
  }

  /**
   * After the exit: the history names only neutral addresses under the
   * neutral title (in the reader's language); Back shows nothing of what was
   * typed; neither does opening the site again.
   *
   * Back and the fresh visits (about ten page loads) are what the server and
   * Chromium do for an ended visit (Clear-Site-Data, expired cookies, no-store
   * pages), the same in every language: `walk: false` checks the history and
   * one fresh visit only (the form's start, which must offer no "continue").
   * Each page and mode walks back through the whole history in one of the
   * three languages (`walksBack`).
   */
  async function expectNoTrace(
    page: Page,
    language: Language,
    secrets: string[],
    name: string,
    { walk }: { walk: boolean },
  ) {
    const neutralTitle = testI18n.getFixedT(language, 'portal')('disguise.title');
    const entries = await history(page);
    expect(entries.at(-1)!.url).toBe(exitUrl);
    for (const entry of entries.filter((item) => item.url.startsWith(base))) {
      const url = new URL(entry.url);
      expect(`${url.pathname}${url.search}`).toMatch(neutralAddress);
      expect([neutralTitle, '']).toContain(entry.title);
    }
    for (const entry of entries) for (const secret of secrets) expect(entry.url + entry.title).not.toContain(secret);
    if (!walk) {
      await page.goto(`${base}/report`);
      const html = await page.content();
      for (const secret of secrets) expect(html).not.toContain(secret);
      expect(await page.locator('a[href="/report?go=review"]').count()).toBe(0);
      return;
    }

    // Back, as far as the history goes: our pages come again from the server, for a visit that has ended.
    for (let steps = 0; steps < entries.length - 1; steps += 1) {
      await page.goBack({ waitUntil: 'load' }).catch(() => undefined);
      const html = await page.content();
      for (const secret of secrets) expect(html).not.toContain(secret);
    }
    await screenshotIfAsked(page, `${name}-after-back`, { fullPage: true });
    for (const path of ['/', '/report', '/chat', '/status']) {
      await page.goto(`${base}${path}`);
      const html = await page.content();
      for (const secret of secrets) expect(html).not.toContain(secret);
    }
    // No draft is bound to this browser any more: the start page offers no "continue".
    await page.goto(`${base}/report`);
    expect(await page.locator('a[href="/report?go=review"]').count()).toBe(0);
  }

  /**
   * Whether this language and mode takes its turn at a check no language can change (what the server and Chromium
   * do, not what a page says): for each check and mode one language does (ko, ar and my in turn), and across the
   * checks each language does, with and without script. Check 0–3: Back through the whole history after the exit
   * from the form, the chat, the status page and the receipt; 4: every page of another browser after the resume
   * code died; 5: /hide typed in the chat.
   */
  const takesTurn = (check: number, language: Language, javaScript: boolean) =>
    (check + languages.indexOf(language) + (javaScript ? 0 : 1)) % languages.length === 0;
  const walksBack = takesTurn;
  const walkNote = (walk: boolean) => (walk ? ', Back through the whole history' : '');

  // These eighteen run at once (vitest's maxConcurrency at a time): each has its own browser context and its own
  // report, draft or chat, and while one page waits on the server or on Chromium another is worked on. Each uses
  // its test's own expect, which expect.poll needs in a concurrent test.
  for (const language of languages) {
    for (const javaScript of [true, false]) {
      const mode = javaScript ? 'js' : 'nojs';
      const [formWalks, chatWalks, statusWalks] = [0, 1, 2].map((index) => walksBack(index, language, javaScript));

      it.concurrent(
        `the report form in ${language}, ${javaScript ? 'with' : 'without'} JavaScript${walkNote(formWalks!)}`,
        async ({ expect }) => {
          const context = await phoneContext(language, javaScript);
          const page = await context.newPage();
          await page.goto(`${base}/?lang=${language}`);
          await page.click(`a[href="/report?lang=${language}"]`);
          await page.click('a[href="/report?go=safety"]');
          await page.check('#f-safety-inImmediateDanger-0');
          await page.selectOption('#f-victim-currentCountry', 'KH');
          await page.click('.form-buttons button.primary');
          await page.fill('#f-incident-narrative', stories[language]);
          await page.click('.form-buttons button.primary');
          const code = (await page.locator('.resume strong').innerText()).trim();
          expect(code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
          expect(page.url()).toBe(`${base}/report`);
          await screenshotIfAsked(page, `exit-form-${language}-${mode}-before`);
          await leave(page);
          await expectNoTrace(page, language, [stories[language], code], `exit-form-${language}-${mode}`, {
            walk: formWalks!,
          });
          await context.close();
        },
      );

      it.concurrent(
        `the web chat in ${language}, ${javaScript ? 'with' : 'without'} JavaScript${walkNote(chatWalks!)}`,
        async ({ expect }) => {
          const context = await phoneContext(language, javaScript);
          const page = await context.newPage();
          await page.goto(`${base}/chat?lang=${language}`);
          await page.click(
            `form button[name="choice"][value="${language}"], form button[name="choice"][value$="|${language}"]`,
          );
          await page.fill('#message', stories[language]);
          await page.click('form button.primary');
          await expect.poll(() => page.locator('.transcript').innerText()).toContain(stories[language]);
          await screenshotIfAsked(page, `exit-chat-${language}-${mode}-before`);
          await leave(page);
          await expectNoTrace(page, language, [stories[language]], `exit-chat-${language}-${mode}`, {
            walk: chatWalks!,
          });
          await context.close();
        },
      );

      it.concurrent(
        `the status page in ${language}, ${javaScript ? 'with' : 'without'} JavaScript${walkNote(statusWalks!)}`,
        async ({ expect }) => {
          const { reportId, reference, receiptCode } = await portal.intake.reports.submitReport(
            { consent: { shareWithLawEnforcement: true }, language },
            { actor: 'test' },
          );
          const staffMessage = `Case ${reportId.slice(-6)}: we called the embassy.`;
          await portal.intake.followups.postMessageToReporter(reportId, { body: staffMessage, author: 'user:staff-1' });
          const context = await phoneContext(language, javaScript);
          const page = await context.newPage();
          await page.goto(`${base}/status?lang=${language}`);
          // The receipt code is no password: a browser must not offer to keep it.
          expect(await page.getAttribute('#code', 'type')).toBe('text');
          expect(await page.getAttribute('#code', 'autocomplete')).toBe('off');
          await page.fill('#reference', reference);
          await page.fill('#code', receiptCode);
          await page.click('form button.primary');
          await expect.poll(() => page.locator('main').innerText()).toContain('we called the embassy');
          await page.fill('#addition', stories[language]);
          await screenshotIfAsked(page, `exit-status-${language}-${mode}-before`);
          await leave(page);
          await expectNoTrace(
            page,
            language,
            [stories[language], staffMessage, reference, receiptCode],
            `exit-status-${language}-${mode}`,
            { walk: statusWalks! },
          );
          await context.close();
        },
      );
    }
  }

  it('codes stay secret: once sent, the resume code opens nothing in another browser, and only the sending browser sees the receipt, in ko, ar and my, with and without JavaScript', async () => {
    await inEachLanguageAtOnce(async (language, javaScript) => {
      const mode = javaScript ? 'js' : 'nojs';
      const context = await phoneContext(language, javaScript);
      const page = await context.newPage();
      await page.goto(`${base}/report?lang=${language}`);
      await page.click('a[href="/report?go=safety"]');
      await page.check('#f-safety-inImmediateDanger-0');
      await page.selectOption('#f-victim-currentCountry', 'KH');
      await page.click('.form-buttons button.primary');
      await page.fill('#f-incident-narrative', stories[language]);
      await page.click('.form-buttons button.primary');
      const resumeCode = (await page.locator('.resume strong').innerText()).trim();
      await page.goto(`${base}/report?go=urgent`);
      await page.check('#f-consent-shareWithLawEnforcement-0');
      await page.click('.form-buttons button.primary');
      await expect.poll(() => page.locator('h1').getAttribute('data-message')).toBe('form.done.title');
      const codes = (await page.locator('.receipt .code').allInnerTexts()).map((code) => code.trim());
      expect(codes).toHaveLength(2);

      // Someone else, in another browser, who saw the resume code.
      const other = await phoneContext(language, javaScript);
      const watcher = await other.newPage();
      await watcher.goto(`${base}/report/resume?lang=${language}`);
      await watcher.fill('#resume-code', resumeCode);
      await watcher.click('form[action="/report/resume"] button[type="submit"]');
      await expect.poll(() => watcher.locator('#resume-error').count()).toBe(1);
      const paths = takesTurn(4, language, javaScript)
        ? ['/report', '/report?go=review', '/report/done', '/status']
        : ['/report?go=review'];
      for (const path of paths) {
        await watcher.goto(`${base}${path}`);
        const html = await watcher.content();
        for (const secret of [...codes, stories[language]])
          expect(html, `${path} in ${language}`).not.toContain(secret);
      }
      await screenshotIfAsked(watcher, `dead-resume-code-${language}-${mode}`);
      await other.close();
      await context.close();
    });
  }, 120_000);

  it('a file the status page refuses keeps the typed message and the other file, the reason beside the file, in ko, ar and my, with and without JavaScript', async () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...Buffer.from('slip')]);
    await inEachLanguageAtOnce(async (language, javaScript) => {
      const { reportId, reference, receiptCode } = await portal.intake.reports.submitReport(
        { consent: { shareWithLawEnforcement: true }, language },
        { actor: 'test' },
      );
      const context = await phoneContext(language, javaScript);
      const page = await context.newPage();
      await page.goto(`${base}/status?lang=${language}`);
      await page.fill('#reference', reference);
      await page.fill('#code', receiptCode);
      await page.click('form button.primary');
      await page.fill('#addition', stories[language]);
      await page.setInputFiles('#file', [
        { name: 'slip.png', mimeType: 'image/png', buffer: png },
        { name: 'notes.exe', mimeType: 'application/octet-stream', buffer: Buffer.from('not a picture') },
      ]);
      await page.click('form[enctype="multipart/form-data"] button.primary');
      await expect.poll(() => page.locator('#file-errors li').count()).toBe(1);
      // The reason is by the file field, and names the file refused.
      const refused = page.locator('#file-errors li');
      expect(await refused.getAttribute('data-message')).toBe('form.error.fileType');
      expect(await refused.locator('bdi').innerText()).toBe('notes.exe');
      expect(await page.getAttribute('#file', 'aria-describedby')).toBe('file-errors');
      expect(await page.locator('[data-message="status.addedWithoutSome"]').count()).toBe(1);
      expect(page.url()).toBe(`${base}/status`);
      // Nothing typed is lost: the message and the accepted file are with the report.
      const additions = await portal.intake.followups.listAdditions(reportId);
      expect(additions.map((addition) => addition.text)).toEqual([stories[language]]);
      expect(additions[0]!.evidence.map((file) => file.fileName)).toEqual(['slip.png']);
      await page.screenshot({
        path: join(screenshotDir, `status-refused-file-${language}-${javaScript ? 'js' : 'nojs'}.png`),
        fullPage: true,
      });
      await context.close();
    });
  }, 120_000);

  it('on a phone the exit is a large fixed button and "Press Esc twice" is not shown; with a keyboard it is, and works', async () => {
    const context = await phoneContext('ar', true);
    const page = await context.newPage();
    await page.goto(`${base}/report?go=incident`);
    await page.mouse.wheel(0, 2000);
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    const box = (await page.locator('button[data-leave]').boundingBox())!;
    // Still at the top after scrolling, as wide as the phone, and taller than a thumb's 48 px.
    expect(box.y).toBeLessThan(10);
    expect(box.width).toBeGreaterThan(phone.width * 0.8);
    expect(box.height).toBeGreaterThanOrEqual(48);
    expect(await page.locator('.keyboard-only').isVisible()).toBe(false);
    await screenshotIfAsked(page, 'exit-button-phone-ar');
    await context.close();

    const desktop = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'ko' });
    const keyboard = await desktop.newPage();
    await keyboard.goto(`${base}/status`);
    expect(await keyboard.locator('.keyboard-only').isVisible()).toBe(true);
    await keyboard.keyboard.press('Escape');
    await keyboard.keyboard.press('Escape');
    await keyboard.waitForURL(exitUrl);
    await desktop.close();
  });

  it('hiding the web chat clears the transcript shown and ends the chat in this browser, in ko, ar and my, with and without JavaScript', async () => {
    await inEachLanguageAtOnce(async (language, javaScript) => {
      const context = await phoneContext(language, javaScript);
      const page = await context.newPage();
      await page.goto(`${base}/chat?lang=${language}`);
      await page.click(
        `form button[name="choice"][value="${language}"], form button[name="choice"][value$="|${language}"]`,
      );
      await page.fill('#message', stories[language]);
      await page.click('form button.primary');
      await expect.poll(() => page.locator('.transcript').innerText()).toContain(stories[language]);
      await page.click('button[name="command"][value="hide"]');
      await expect.poll(() => page.locator('.transcript').innerText()).not.toContain(stories[language]);
      await page.screenshot({ path: join(screenshotDir, `chat-hidden-${language}-${javaScript ? 'js' : 'nojs'}.png`) });
      await page.goBack();
      expect(await page.content()).not.toContain(stories[language]);
      // Typed as in the bots, /hide does the same: read alike in every language, typed in one of them per mode.
      if (takesTurn(5, language, javaScript)) {
        await page.goto(`${base}/chat?lang=${language}`);
        await page.click(
          `form button[name="choice"][value="${language}"], form button[name="choice"][value$="|${language}"]`,
        );
        await page.fill('#message', stories[language]);
        await page.click('form button.primary');
        await page.fill('#message', '/hide');
        await page.click('form button.primary');
        await expect.poll(() => page.locator('.transcript').innerText()).not.toContain(stories[language]);
      }
      await context.close();
    });
  }, 120_000);

  it('"send now" opens a page whose questions and send button are all on the first screen of a phone, and the receipt it leads to (reference and receipt code) is nowhere after the exit, in ko, ar and my, with and without JavaScript', async () => {
    await inEachLanguageAtOnce(async (language, javaScript) => {
      const mode = javaScript ? 'js' : 'nojs';
      const context = await phoneContext(language, javaScript);
      const page = await context.newPage();
      // The shortest path a person in danger takes: the front page's box, the safety step, the urgent page.
      await page.goto(`${base}/report?lang=${language}`);
      await page.click('a[href="/report?go=safety"]');
      await page.check('#f-safety-inImmediateDanger-0');
      await page.selectOption('#f-victim-currentCountry', 'MM');
      await page.click('.form-buttons button.primary');
      await page.click('a[href="/report?go=urgent"]');
      await expect.poll(() => page.locator('h1').getAttribute('data-message')).toBe('form.step.urgent.title');
      for (const selector of [
        '#f-consent-shareWithLawEnforcement-0',
        '#f-safety-safeContactMethod',
        '.form-buttons button.primary',
      ]) {
        const box = (await page.locator(selector).boundingBox())!;
        expect(box.y + box.height, `${selector} in ${language}`).toBeLessThanOrEqual(phone.height);
      }
      await page.screenshot({ path: join(screenshotDir, `urgent-first-screen-${language}-${mode}.png`) });
      await page.check('#f-consent-shareWithLawEnforcement-0');
      await page.click('.form-buttons button.primary');
      await expect.poll(() => page.locator('h1').getAttribute('data-message')).toBe('form.done.title');
      expect(page.url()).toBe(`${base}/report`);
      const codes = (await page.locator('.receipt .code').allInnerTexts()).map((code) => code.trim());
      expect(codes.length, `reference and receipt code in ${language}`).toBe(2);
      for (const code of codes) expect(code.length).toBeGreaterThan(5);
      await screenshotIfAsked(page, `exit-receipt-${language}-${mode}-before`);
      await leave(page);
      await expectNoTrace(page, language, codes, `exit-receipt-${language}-${mode}`, {
        walk: walksBack(3, language, javaScript),
      });
      await context.close();
    });
  }, 240_000);

  it('chat buttons wrap whole words and never widen a 390 px page, in Korean and Burmese', async () => {
    for (const language of ['ko', 'my'] as const) {
      const context = await phoneContext(language, true);
      const page = await context.newPage();
      await page.goto(`${base}/chat?lang=${language}`);
      // The choice posts a form: read the styles of the page it opens once that page has loaded its stylesheet
      // (read earlier, they were once the old page's, or the new one's before its CSS: word-break "normal").
      await Promise.all([
        page.waitForEvent('framenavigated'),
        page.click(
          `form button[name="choice"][value="${language}"], form button[name="choice"][value$="|${language}"]`,
        ),
      ]);
      await page.waitForLoadState('load');
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(phone.width);
      if (language === 'ko') {
        expect(await page.evaluate(() => getComputedStyle(document.querySelector('.commands button')!).wordBreak)).toBe(
          'keep-all',
        );
        expect(await page.evaluate(() => getComputedStyle(document.querySelector('main')!).wordBreak)).toBe('keep-all');
      }
      await screenshotIfAsked(page, `chat-buttons-${language}`, { fullPage: true });
      await context.close();
    }
  });

  it('has no accessibility violation of any impact (axe-core) on any public page, in ko, ar and my', async () => {
    const problems: string[] = [];
    const checked: string[] = [];
    const check = async (page: Page, name: string) => {
      await screenshotIfAsked(page, `axe-${name}`, { fullPage: true });
      checked.push(name);
      problems.push(...(await allAccessibilityProblems(page, name)));
    };
    await Promise.all(
      languages.map(async (language) => {
        const context = await phoneContext(language, true);
        const page = await context.newPage();
        await page.goto(`${base}/?lang=${language}`);
        await check(page, `landing-${language}`);
        await page.selectOption('#country', 'KH');
        await page.click('#danger ~ form button, section[aria-labelledby="danger"] form button');
        await check(page, `landing-numbers-${language}`);
        await page.goto(`${base}/report`);
        await check(page, `form-start-${language}`);
        await page.goto(`${base}/report/resume`);
        await check(page, `form-resume-${language}`);
        await page.fill('#resume-code', 'AAAA-BBBB-CCCC');
        await page.click('form[action="/report/resume"] button[type="submit"]');
        await expect.poll(() => page.locator('#resume-error').count()).toBe(1);
        await check(page, `form-resume-refused-${language}`);
        await page.goto(`${base}/report?go=safety`);
        await check(page, `form-safety-${language}`);
        await page.check('#f-safety-inImmediateDanger-0');
        await page.selectOption('#f-victim-currentCountry', 'TH');
        await page.click('.form-buttons button.primary');
        for (const step of ['incident', 'money', 'contacts', 'evidence', 'about', 'urgent', 'review']) {
          await page.goto(`${base}/report?go=${step}`);
          await check(page, `form-${step}-${language}`);
        }
        await page.goto(`${base}/report?go=urgent`);
        await page.check('#f-consent-shareWithLawEnforcement-0');
        await page.click('.form-buttons button.primary');
        await check(page, `form-done-${language}`);
        await page.goto(`${base}/report?print=1`);
        expect(await page.locator('.receipt .code').count()).toBe(2);
        await check(page, `form-done-print-${language}`);
        await page.goto(`${base}/chat`);
        await check(page, `chat-${language}`);
        await page.click(
          `form button[name="choice"][value="${language}"], form button[name="choice"][value$="|${language}"]`,
        );
        await page.fill('#message', stories[language]);
        await page.click('form button.primary');
        await expect.poll(() => page.locator('.transcript').innerText()).toContain(stories[language]);
        await check(page, `chat-transcript-${language}`);
        await page.goto(`${base}/status`);
        await check(page, `status-form-${language}`);
        const { reference, receiptCode } = await portal.intake.reports.submitReport(
          { consent: { shareWithLawEnforcement: true }, language },
          { actor: 'test' },
        );
        await page.fill('#reference', reference);
        await page.fill('#code', receiptCode);
        await page.click('form button.primary');
        await check(page, `status-report-${language}`);
        await page.fill('#addition', stories[language]);
        await page.click('form[enctype="multipart/form-data"] button.primary');
        await expect.poll(() => page.locator('[data-message="status.added"]').count()).toBe(1);
        await check(page, `status-added-${language}`);
        // The exit's own page, seen for an instant before its refresh replaces it: checked without the refresh.
        const exit = await page.request.post(`${base}/leave`);
        const exitHtml = await exit.text();
        expect(exitHtml).toMatch(/<meta http-equiv="refresh" content="0;url=[^"]+">/);
        await page.setContent(exitHtml.replace(/<meta http-equiv="refresh"[^>]*>/, ''));
        expect(await page.getAttribute('html', 'lang')).toBe(language);
        expect(await page.title()).toBe(testI18n.getFixedT(language, 'portal')('disguise.title'));
        await check(page, `exit-page-${language}`);
        await context.close();
      }),
    );
    expect(problems).toEqual([]);
    // Every public page, in each language: front page (and its numbers), form start, resume (and refused),
    // every step, urgent, review, receipt (and its print version), chat (empty and with a transcript), status
    // form, report and an addition sent, exit.
    expect(checked.length).toBe(languages.length * 21);
  }, 240_000);
});
