import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  allAccessibilityProblems,
  chromiumAvailable,
  screenshotDir,
  warnIfChromiumMissing,
} from '../support/browser.js';
import { openPublicPortalInBrowser } from '../support/public-portal-in-browser.js';
import { testI18n } from '../support/test-portal.js';

/** The receipt's first line in a language, from the translations the chat reads: which message, not its wording. */
const receiptTitle = (language: string) => testI18n.getFixedT(language, 'conversation')('receipt.title');

warnIfChromiumMissing();

// The tests run at once (vitest's maxConcurrency at a time): each has its own browser context and its own chat or
// report, and while one page waits on the server or on Chromium another is worked on. Each uses its test's own
// expect, which expect.poll needs in a concurrent test.
describe.skipIf(!chromiumAvailable).concurrent('the public pages in headless Chromium', () => {
  let served: Awaited<ReturnType<typeof openPublicPortalInBrowser>>;
  let portal: Awaited<ReturnType<typeof openPublicPortalInBrowser>>['portal'];
  let base: string;

  beforeAll(async () => {
    served = await openPublicPortalInBrowser();
    ({ portal, base } = served);
  });
  afterAll(async () => served?.close());

  const newPage = (locale: string) => served.newPage(locale);

  /** A chat button for an answer: its value carries the question it answers (`<question>|<answer>`). */
  const choice = (value: string) =>
    `form button[name="choice"][value="${value}"], form button[name="choice"][value$="|${value}"]`;

  async function chooseButton(page: Page, value: string) {
    await page.click(choice(value));
  }

  async function reportThroughTheChat(locale: string, language: string, story: string) {
    const page = await newPage(locale);
    await page.goto(`${base}/chat`);
    await chooseButton(page, language);
    await chooseButton(page, 'safe');
    await page.fill('#message', story);
    await page.click('form button.primary');
    if (await page.locator(choice('yes')).count()) await chooseButton(page, 'yes');
    await chooseButton(page, 'investment_crypto');
    for (let i = 0; i < 6 && (await page.locator(choice('done')).count()) === 0; i += 1) {
      await page.click('button[name="command"][value="skip"]');
    }
    await chooseButton(page, 'done');
    await page.screenshot({ path: join(screenshotDir, `chat-summary-${language}.png`), fullPage: true });
    await chooseButton(page, 'confirm');
    await chooseButton(page, 'yes');
    await chooseButton(page, 'yes');
    const text = await page.locator('.transcript').innerText();
    const reference = /RL-[0-9A-Z]{4}-[0-9A-Z]{4}/.exec(text)?.[0];
    expect(reference).toBeDefined();
    await page.screenshot({ path: join(screenshotDir, `chat-receipt-${language}.png`), fullPage: true });
    return { page, reference: reference! };
  }

  it('submits a report end to end in Korean', async ({ expect }) => {
    const { page, reference } = await reportThroughTheChat(
      'ko-KR',
      'ko',
      '투자 앱에 300만원을 보냈는데 출금이 안 돼요.',
    );
    expect(await page.locator('.transcript').innerText()).toContain(receiptTitle('ko'));
    expect(await allAccessibilityProblems(page, 'chat-receipt-ko')).toEqual([]);
    const stored = await portal.intake.reports.getReport(reference);
    expect(stored?.report).toMatchObject({
      language: 'ko',
      channel: 'webchat',
      losses: { payments: [{ amount: 3000000, currency: 'KRW' }] },
    });
  });

  it('submits a report end to end in Thai', async ({ expect }) => {
    const { page } = await reportThroughTheChat('th-TH', 'th', 'แอปลงทุนปลอม ให้โอน 20,000 บาท แล้วถอนไม่ได้');
    expect(await page.locator('.transcript').innerText()).toContain(receiptTitle('th'));
  });

  it('submits a report end to end in Arabic, laid out right to left', async ({ expect }) => {
    const { page } = await reportThroughTheChat('ar', 'ar', 'احتالوا عليّ في تطبيق استثمار وأرسلت 2,000 USDT');
    expect(await page.evaluate(() => getComputedStyle(document.body).direction)).toBe('rtl');
    expect(await page.locator('.transcript').innerText()).toContain(receiptTitle('ar'));
    expect(await allAccessibilityProblems(page, 'chat-receipt-ar')).toEqual([]);
  });

  it('submits a report end to end in Burmese, its receipt with no axe violation of any impact', async ({ expect }) => {
    const { page } = await reportThroughTheChat('my', 'my', 'ရင်းနှီးမြှုပ်နှံမှု အက်ပ်မှာ 2,000 USDT ပို့ပြီး ပြန်မထုတ်နိုင်ပါ');
    expect(await page.locator('.transcript').innerText()).toContain(receiptTitle('my'));
    expect(await allAccessibilityProblems(page, 'chat-receipt-my')).toEqual([]);
  });

  it('shows the status page with a message from staff', async ({ expect }) => {
    const { reportId, reference, receiptCode } = await portal.intake.reports.submitReport(
      { consent: { shareWithLawEnforcement: true }, language: 'en' },
      { actor: 'test' },
    );
    await portal.intake.followups.postMessageToReporter(reportId, {
      body: 'We passed your report to the Royal Thai Police.',
      author: 'user:staff-1',
    });
    const page = await newPage('en-US');
    await page.goto(`${base}/status`);
    await page.fill('#reference', reference);
    await page.fill('#code', receiptCode);
    await page.click('form button.primary');
    await expect
      .poll(() => page.locator('main').innerText())
      .toContain('We passed your report to the Royal Thai Police.');
    await page.screenshot({ path: join(screenshotDir, 'status.png'), fullPage: true });
  });

  it('leaves the site with the button or Escape twice, and the back button does not return', async ({ expect }) => {
    const page = await newPage('en-US');
    await page.goto(`${base}/`);
    await page.goto(`${base}/chat`);
    await page.click('button[data-leave]');
    await page.waitForURL('https://www.bbc.com/weather');
    await page.goBack();
    // The page left was replaced by the neutral site: back leads to the page before it, never the chat.
    expect(page.url()).not.toContain('/chat');

    const second = await newPage('en-US');
    await second.goto(`${base}/status`);
    await second.keyboard.press('Escape');
    await second.keyboard.press('Escape');
    await second.waitForURL('https://www.bbc.com/weather');
  });

  it('has no accessibility violations of any impact (axe-core) on the landing page, the chat and the status page, in English and Arabic', async ({
    expect,
  }) => {
    // Each page in its own context, all at once.
    const problems = await Promise.all(
      (
        [
          ['/', 'landing'],
          ['/?lang=ar', 'landing-ar'],
          ['/chat', 'chat'],
          ['/status', 'status-form'],
        ] as const
      ).map(async ([path, name]) => {
        const page = await newPage('en-US');
        await page.goto(`${base}${path}`);
        await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true });
        // One axe pass: no violation of any impact is also none serious or critical.
        return allAccessibilityProblems(page, name);
      }),
    );
    expect(problems.flat()).toEqual([]);
  });
});
