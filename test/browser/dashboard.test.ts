import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, it } from 'vitest';
import {
  allAccessibilityProblems,
  chromiumAvailable,
  launchChromium,
  screenshotDir,
  serveOnLoopback,
  warnIfChromiumMissing,
} from '../support/browser.js';
import { openConsoleHarness, type ConsoleHarness } from '../support/console-harness.js';
import { agencyName } from '../../intake/routing/display-names.js';
import { testI18n } from '../support/test-portal.js';
import { fixturePeriod, writeDashboardFixture } from '../dashboard/dashboard-fixture.js';

warnIfChromiumMissing();

/** A supervisor's laptop screen. */
const viewport = { width: 1366, height: 768 };
const period = `from=${fixturePeriod.from}&to=${fixturePeriod.to}`;
/** Where a week's bar is drawn on the screen (the middle of its first rectangle). */
async function barCentre(page: Page, chart: string, week: number): Promise<number> {
  const box = await page.locator(`svg[data-chart="${chart}"] g.week[data-week="${week}"] rect`).first().boundingBox();
  if (!box) throw new Error(`no bar for week ${week} of ${chart}`);
  return box.x + box.width / 2;
}

/**
 * The dashboard in Chromium as a supervisor reads it in English, Thai and
 * Arabic, and as an agency in English: screenshots at 1366×768 (the first
 * screen, and the whole page with a table open), the charts drawn and
 * mirrored for Arabic, their numbers in tables that open without script, and
 * no axe violation of any impact (in English, Arabic and the agency's).
 */
// The tests run at once: they only read the fixture, each signed in with its own account and browser context, and
// while one page waits on the server or on Chromium another is worked on. Each uses its test's own expect.
describe.skipIf(!chromiumAvailable).concurrent('the dashboard in headless Chromium', () => {
  let harness: ConsoleHarness;
  let server: Awaited<ReturnType<typeof serveOnLoopback>>;
  let browser: Browser;
  let agencyId: string;

  beforeAll(async () => {
    harness = await openConsoleHarness();
    const ids = await writeDashboardFixture(harness);
    agencyId = (await harness.services.routing.getRouting(ids.heldOne))!.agencies[0]!.agencyId;
    server = await serveOnLoopback(harness.app.fetch);
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await harness?.close();
  });

  async function signedInPage(language: string, role: 'supervisor' | 'agency', agency?: string): Promise<Page> {
    const context = await browser.newContext({ viewport, locale: language });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const { username, password } = await harness.account(role, agency);
    await page.goto(`${server.base}/staff/login?lang=${language}`);
    await page.fill('#username', username);
    await page.fill('#password', password);
    await page.click('form button.primary');
    await page.waitForLoadState('load');
    return page;
  }

  for (const language of ['en', 'th', 'ar'] as const) {
    it(`draws the hotline's dashboard in ${language}`, { timeout: 60_000 }, async ({ expect }) => {
      const t = testI18n.getFixedT(language, 'staff');
      const page = await signedInPage(language, 'supervisor');
      if (language === 'en') {
        // From the console's navigation, as a supervisor finds it.
        await page.click(`nav a[href="/staff/dashboard"]`);
        await page.waitForLoadState('load');
      }
      await page.goto(`${server.base}/staff/dashboard?${period}`);
      expect(await page.getAttribute('html', 'lang')).toBe(language);
      // Drawn on the server: nothing of the dashboard is a script (the console's header may bring its own).
      expect(await page.locator('main script, svg script').count()).toBe(0);
      expect(await page.locator('h1').innerText()).toBe(t('dashboard.title'));
      await page.screenshot({ path: join(screenshotDir, `dashboard-staff-${language}.png`) });

      // The charts are drawn (not empty boxes), and time runs the reader's way: right to left in Arabic.
      const chart = page.locator('svg[data-chart="reports-by-category-chart"]');
      expect((await chart.boundingBox())!.height).toBeGreaterThan(100);
      const [oldest, newest] = [
        await barCentre(page, 'reports-by-category-chart', 0),
        await barCentre(page, 'reports-by-category-chart', 1),
      ];
      if (language === 'ar') expect(oldest).toBeGreaterThan(newest);
      else expect(oldest).toBeLessThan(newest);
      expect(await chart.locator('title').first().textContent()).toBe(t('dashboard.reports.byCategory'));

      // The numbers as a table open from their summary (a details element, no script).
      await page.locator('#reports-by-category details summary').click();
      const table = page.locator('table[data-table="reports-by-category"]');
      expect(await table.isVisible()).toBe(true);
      expect(await table.locator('thead th').first().innerText()).toBe(t('dashboard.weekOf'));
      expect(await page.locator('[data-figure="median"]').getAttribute('data-seconds')).toBe('120');
      await page.screenshot({ path: join(screenshotDir, `dashboard-staff-${language}-full.png`), fullPage: true });

      // Thai has the structure of English: axe (the slow part) runs on a left-to-right and the right-to-left page.
      if (language !== 'th') expect(await allAccessibilityProblems(page, `dashboard-staff-${language}`)).toEqual([]);
    });
  }

  it("draws an agency's dashboard of its own cases", { timeout: 60_000 }, async ({ expect }) => {
    const t = testI18n.getFixedT('en', 'staff');
    const page = await signedInPage('en', 'agency', agencyId);
    await page.click(`nav a[href="/agency/dashboard"]`);
    await page.waitForLoadState('load');
    await page.goto(`${server.base}/agency/dashboard?${period}`);
    await page.screenshot({ path: join(screenshotDir, 'dashboard-agency-en.png') });
    expect(await page.locator('[data-message="dashboard.scope"]').innerText()).toBe(
      t('dashboard.scopeAgency', { agency: agencyName(harness.services.directory, agencyId, 'en') }),
    );
    expect(await page.locator('a[href^="/staff/"]').count()).toBe(0);
    expect(await allAccessibilityProblems(page, 'dashboard-agency-en')).toEqual([]);
  });
});
