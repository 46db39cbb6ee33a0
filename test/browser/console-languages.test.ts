import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { completeReport } from '../support/fixtures.js';
import {
  allAccessibilityProblems,
  chromiumAvailable,
  launchChromium,
  screenshotIfAsked,
  serveOnLoopback,
  warnIfChromiumMissing,
} from '../support/browser.js';
import { openConsoleHarness, type ConsoleHarness } from '../support/console-harness.js';
import { testI18n } from '../support/test-portal.js';

warnIfChromiumMissing();

/** A hotline worker's laptop screen. */
const viewport = { width: 1366, height: 768 };
/** The languages the issue names for every page: a Korean, an Arabic (right to left) and a Burmese console. */
const languages = ['ko', 'ar', 'my'] as const;

/** Every axe violation, whatever its impact (`page: rule (impact)`), after a full-page screenshot when asked. */
async function accessibilityProblems(page: Page, name: string): Promise<string[]> {
  await screenshotIfAsked(page, name, { fullPage: true });
  return allAccessibilityProblems(page, name);
}

/**
 * Every console and agency page in Korean, Arabic and Burmese, as a hotline
 * worker, an administrator and an agency officer see it: axe finds nothing of
 * any impact, and the agency's pages speak to an agency (its referrals), not
 * in the hotline's words (queue, triage).
 */
describe.skipIf(!chromiumAvailable)('the console and agency pages in ko, ar and my, in headless Chromium', () => {
  let harness: ConsoleHarness;
  let server: Awaited<ReturnType<typeof serveOnLoopback>>;
  let browser: Browser;
  let reference: string;
  let agencyId: string;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    harness = await openConsoleHarness();
    server = await serveOnLoopback(harness.app.fetch);
    browser = await launchChromium();
    for (let i = 0; i < 3; i += 1)
      await harness.submit({ consent: { shareWithLawEnforcement: true }, suspects: { phones: ['+855 12 345 678'] } });
    const target = await harness.submit({ ...completeReport(), evidence: [] });
    reference = target.reference;
    agencyId = (await harness.services.routing.getRouting(target.reportId))!.agencies.find(
      (agency) => agency.role === 'primary',
    )!.agencyId;
  });
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await server?.close();
    await harness?.close();
  });

  async function newPage(language: string): Promise<Page> {
    const context = await browser.newContext({ viewport, locale: language });
    contexts.push(context);
    return context.newPage();
  }

  /**
   * Signs a new account of this role in from the sign-in page in this language, and waits for the page it lands
   * on: `to` (a console page the sign-in leads back to, as from a bookmark) or the role's home.
   */
  async function signIn(
    page: Page,
    language: string,
    role: 'hotline' | 'admin' | 'agency',
    { agency, to }: { agency?: string; to?: string } = {},
  ) {
    const { username, password } = await harness.account(role, agency);
    await page.goto(`${server.base}/staff/login?lang=${language}${to ? `&next=${encodeURIComponent(to)}` : ''}`);
    await page.fill('#username', username);
    await page.fill('#password', password);
    await page.click('form button.primary');
    await page.waitForURL(`${server.base}${to ?? (role === 'agency' ? '/agency' : '/staff')}`);
  }

  // The three languages run at once, each with its own accounts and browser contexts: while one page waits on the
  // server or on Chromium another is worked on. They triage the same case, which ends referred whichever goes
  // first. Each uses its test's own expect, which expect.poll needs in a concurrent test.
  for (const language of languages) {
    it.concurrent(
      `has no axe violation of any impact on any console or agency page in ${language}`,
      { timeout: 120_000 },
      async ({ expect }) => {
        const problems: string[] = [];
        const checked: string[] = [];
        const check = async (page: Page, name: string) => {
          expect(await page.getAttribute('html', 'lang'), name).toBe(language);
          checked.push(name);
          problems.push(...(await accessibilityProblems(page, `console-${name}-${language}-all-impacts`)));
        };

        const visitor = await newPage(language);
        await visitor.goto(`${server.base}/staff/login?lang=${language}`);
        await check(visitor, 'sign-in');
        await visitor.fill('#username', 'nobody');
        await visitor.fill('#password', 'wrong password');
        await visitor.click('form button.primary');
        await expect.poll(() => visitor.locator('[role="alert"], .error').count()).toBeGreaterThan(0);
        await check(visitor, 'sign-in-refused');

        // Each signs in where the console opens for them: the queue, the audit (from a bookmark), the inbox.
        const hotline = await newPage(language);
        await signIn(hotline, language, 'hotline');
        await check(hotline, 'queue');
        await hotline.click('details.more-filters summary');
        await check(hotline, 'queue-more-filters');
        await hotline.goto(`${server.base}/staff/cases/${reference}`);
        await check(hotline, 'case');
        await hotline.click('#triage input[name="status"][value="referred"]');
        await hotline.click('#triage-apply');
        await hotline.waitForLoadState('load');
        await check(hotline, 'case-after-triage');
        await hotline.goto(`${server.base}/staff/search?q=${encodeURIComponent('+855 12 345 678')}`);
        await check(hotline, 'search');

        const admin = await newPage(language);
        await signIn(admin, language, 'admin', { to: '/staff/audit' });
        await check(admin, 'audit');

        const agency = await newPage(language);
        await signIn(agency, language, 'agency', { agency: agencyId });
        await check(agency, 'agency-inbox');
        const t = testI18n.getFixedT(language, 'staff');
        // Worded for an agency: its referrals, the hotline's reference, the offence, when it was referred.
        expect(await agency.locator('table caption').innerText()).toBe(t('agency.inboxCaption'));
        expect(await agency.locator('table thead th').allInnerTexts()).toEqual(
          expect.arrayContaining([t('agency.reference'), t('agency.offence'), t('agency.received')]),
        );
        const inboxText = await agency.locator('main').innerText();
        for (const hotlineWord of [t('queue.title'), t('queue.caption'), t('triage.title'), t('triage.take')])
          expect(inboxText).not.toContain(hotlineWord);
        await agency.click(`a[href="/agency/cases/${reference}"]`);
        await agency.waitForLoadState('load');
        await check(agency, 'agency-case');
        expect(await agency.locator('h1 .urgent-badge').innerText()).toBe(t('agency.urgent'));
        const caseText = await agency.locator('main').innerText();
        for (const hotlineWord of [t('triage.title'), t('triage.take')]) expect(caseText).not.toContain(hotlineWord);

        expect(problems).toEqual([]);
        expect(checked).toEqual([
          'sign-in',
          'sign-in-refused',
          'queue',
          'queue-more-filters',
          'case',
          'case-after-triage',
          'search',
          'audit',
          'agency-inbox',
          'agency-case',
        ]);
      },
    );
  }
});
