import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, type ExpectStatic } from 'vitest';
import {
  chromiumAvailable,
  screenshotDir,
  seriousAccessibilityProblems,
  warnIfChromiumMissing,
} from '../support/browser.js';
import { openPublicPortalInBrowser } from '../support/public-portal-in-browser.js';
import { testI18n } from '../support/test-portal.js';

warnIfChromiumMissing();
/** A screenshot as a phone saves it (the bytes say PNG, whatever the name). */
const screenshot = Buffer.from([
  0x89,
  0x50,
  0x4e,
  0x47,
  0x0d,
  0x0a,
  0x1a,
  0x0a,
  ...Buffer.from('chat with the scammer'),
]);

// The tests run at once (vitest's maxConcurrency at a time): each has its own browser contexts and its own draft,
// and while one page waits on the server or on Chromium another is worked on. Each uses its test's own expect, which
// expect.poll needs in a concurrent test.
describe.skipIf(!chromiumAvailable).concurrent('the report form in headless Chromium', () => {
  let served: Awaited<ReturnType<typeof openPublicPortalInBrowser>>;
  let portal: Awaited<ReturnType<typeof openPublicPortalInBrowser>>['portal'];
  let base: string;

  beforeAll(async () => {
    served = await openPublicPortalInBrowser();
    ({ portal, base } = served);
  });
  afterAll(async () => served?.close());

  const newPage = (locale: string) => served.newPage(locale);

  async function next(page: Page) {
    await page.click('.form-buttons button.primary');
  }

  /** Fails the test with the list of serious or critical problems axe-core finds on the page. */
  async function expectAccessible(page: Page, name: string) {
    expect(await seriousAccessibilityProblems(page, name)).toEqual([]);
  }

  /** Fills in every step and sends the report; `expect` is the test's own, which expect.poll needs. */
  async function reportThroughTheForm(
    expect: ExpectStatic,
    options: {
      locale: string;
      language: string;
      country: string;
      story: string;
      currency: string;
    },
  ) {
    const t = testI18n.getFixedT(options.language, 'portal');
    const page = await newPage(options.locale);
    await page.goto(`${base}/?lang=${options.language}`);
    await page.click(`a[href="/report?lang=${options.language}"]`);
    await page.click('a[href="/report?go=safety"]');
    await page.check('#f-safety-inImmediateDanger-1');
    await page.check('#f-safety-heldAgainstWill-1');
    await page.selectOption('#f-victim-currentCountry', options.country);
    await next(page);
    await page.check('#f-reporterRole-0');
    await page.check('#f-incident-category-1');
    await page.fill('#f-incident-narrative', options.story);
    await next(page);
    await page.fill('#f-losses-payments-0-amount', '1,500');
    await page.fill('#f-losses-payments-0-currency', options.currency);
    await next(page);
    await page.fill('#f-suspects-phones', '+855 97 123 4567');
    await next(page);
    await page.setInputFiles('#f-files', { name: 'chat.png', mimeType: 'image/png', buffer: screenshot });
    await page.click('button[value="upload"]');
    await expect.poll(() => page.locator('.files').innerText()).toContain('chat.png');
    await next(page);
    await page.check('#f-consent-shareWithLawEnforcement-0');
    await page.check('#f-consent-contactBack-1');
    await next(page);
    await expect.poll(() => page.locator('h1').innerText()).toBe(t('form.step.review.title'));
    await page.screenshot({ path: join(screenshotDir, `form-review-${options.language}.png`), fullPage: true });
    await page.click('form:has(input[name="step"][value="review"]) button.primary');
    await expect.poll(() => page.locator('h1').innerText()).toBe(t('form.done.title'));
    const reference = (await page.locator('.receipt strong.code').first().innerText()).trim();
    await page.screenshot({ path: join(screenshotDir, `form-confirmation-${options.language}.png`), fullPage: true });
    return { page, reference, t };
  }

  it('sends a report end to end in Korean', async ({ expect }) => {
    const { page, reference } = await reportThroughTheForm(expect, {
      locale: 'ko-KR',
      language: 'ko',
      country: 'KR',
      story: '투자 앱에 300만원을 보냈어요. 담당자 번호는 010-9876-5432였어요.',
      currency: 'KRW',
    });
    // The page script shows the copy buttons; without it the codes are plain text.
    expect(await page.locator('button[data-copy]').first().isVisible()).toBe(true);
    const stored = (await portal.intake.reports.getReport(reference))!;
    expect(stored.report).toMatchObject({
      channel: 'web',
      language: 'ko',
      incident: { category: 'investment_crypto' },
      victim: { currentCountry: 'KR' },
    });
    // The details found in the story were ticked by default and are now part of the report.
    expect(stored.report.suspects.phones).toEqual(expect.arrayContaining(['+855 97 123 4567', '+821098765432']));
    expect(stored.report.losses.payments).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ amount: 1500, currency: 'KRW' }),
        expect.objectContaining({ amount: 3_000_000, currency: 'KRW' }),
      ]),
    );
    expect(stored.report.evidence.map((file) => file.mediaType)).toEqual(['image/png']);
    // No address of the browser is kept with the report.
    expect(JSON.stringify(stored)).not.toContain('127.0.0.1');
  });

  it('sends a report end to end in Thai', async ({ expect }) => {
    const { page, reference, t } = await reportThroughTheForm(expect, {
      locale: 'th-TH',
      language: 'th',
      country: 'TH',
      story: 'แอปลงทุนปลอม ให้โอน 20,000 บาท แล้วถอนไม่ได้',
      currency: 'THB',
    });
    expect(await page.locator('main').innerText()).toContain(t('form.done.routingTitle'));
    expect((await portal.intake.reports.getReport(reference))!.report.language).toBe('th');
  });

  it('sends a report end to end in Arabic, laid out right to left', async ({ expect }) => {
    const { page, reference } = await reportThroughTheForm(expect, {
      locale: 'ar',
      language: 'ar',
      country: 'AE',
      story: 'احتالوا عليّ في تطبيق استثمار وأرسلت 2,000 USDT',
      currency: 'USDT',
    });
    expect(await page.evaluate(() => getComputedStyle(document.body).direction)).toBe('rtl');
    expect((await portal.intake.reports.getReport(reference))!.report.language).toBe('ar');
    await expectAccessible(page, 'form-confirmation-ar-axe');
  });

  it('continues a half-finished report on another phone with the resume code', async ({ expect }) => {
    const first = await newPage('vi-VN');
    await first.goto(`${base}/report/safety?lang=vi`);
    await first.check('#f-safety-inImmediateDanger-1');
    await next(first);
    await first.fill('#f-incident-narrative', 'Họ hứa việc làm ở Campuchia rồi giữ hộ chiếu của tôi.');
    await next(first);
    const code = (await first.locator('.resume strong').innerText()).trim();
    // The phone is lost, the tab closed.
    await first.context().close();

    const second = await newPage('vi-VN');
    await second.goto(`${base}/report?lang=vi`);
    await second.fill('#resume-code', code.toLowerCase());
    await second.click('form[action="/report/resume"] button');
    await expect
      .poll(() => second.locator('main').innerText())
      .toContain('Họ hứa việc làm ở Campuchia rồi giữ hộ chiếu của tôi.');
    await second.screenshot({ path: join(screenshotDir, 'form-resumed.png'), fullPage: true });
    await second.goto(`${base}/report?go=about`);
    await second.check('#f-consent-shareWithLawEnforcement-0');
    await next(second);
    await second.click('form:has(input[name="step"][value="review"]) button.primary');
    const reference = (await second.locator('.receipt strong.code').first().innerText()).trim();
    expect((await portal.intake.reports.getReport(reference))!.report.incident.narrative).toBe(
      'Họ hứa việc làm ở Campuchia rồi giữ hộ chiếu của tôi.',
    );
  });

  it('puts an error beside the field, keeps what was typed, and moves focus to the list of problems', async ({
    expect,
  }) => {
    const page = await newPage('en-US');
    await page.goto(`${base}/report/incident`);
    await page.fill('#f-incident-narrative', 'They called pretending to be the police.');
    await page.fill('#f-incident-firstContactDate', '2099-01-01');
    await next(page);
    await expect
      .poll(() => page.locator('#f-incident-firstContactDate-error').getAttribute('data-message'))
      .toBe('form.error.dateInFuture');
    expect(await page.inputValue('#f-incident-narrative')).toBe('They called pretending to be the police.');
    await page.click('.error-summary a');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('f-incident-firstContactDate');
    await expectAccessible(page, 'form-error');
  });

  it('has no serious or critical accessibility violations on the form pages', async () => {
    const page = await newPage('en-US');
    await page.goto(`${base}/report`);
    await expectAccessible(page, 'form-start');
    for (const step of ['safety', 'incident', 'money', 'contacts', 'evidence', 'about']) {
      await page.goto(`${base}/report/${step}`);
      await expectAccessible(page, `form-${step}`);
      await next(page);
    }
    await page.goto(`${base}/report/review`);
    await expectAccessible(page, 'form-review');
  });
});
