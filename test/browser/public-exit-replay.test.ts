import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConversationStore } from '../../intake/store/conversation-store.js';
import {
  chromiumAvailable,
  launchChromium,
  screenshotDir,
  serveOnLoopback,
  warnIfChromiumMissing,
} from '../support/browser.js';
import { createPublicPortal } from '../support/public-portal.js';
import { createTestDatabase, type TestDatabase } from '../support/test-databases.js';

warnIfChromiumMissing();

const phone = { width: 390, height: 844 };
const exitUrl = 'https://www.bbc.com/weather';

/**
 * Someone copies the phone's cookies before the reporter presses the quick
 * exit, then replays them in another browser (Chromium at phone size, with
 * and without JavaScript): the draft, the chat and the status page open
 * nothing; the chat's transcript is gone from the database; the resume code,
 * entered in a form (never in an address), still opens the draft.
 */
describe.skipIf(!chromiumAvailable)('a cookie copied before the quick exit opens nothing after it', () => {
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

  /** A phone's browser in Korean; the neutral site is answered locally (launchChromium). */
  function phoneContext(javaScript: boolean): Promise<BrowserContext> {
    return browser.newContext({
      viewport: phone,
      locale: 'ko',
      javaScriptEnabled: javaScript,
      hasTouch: true,
      isMobile: true,
    });
  }

  async function addresses(page: Page): Promise<string[]> {
    const cdp = await page.context().newCDPSession(page);
    const { entries } = (await cdp.send('Page.getNavigationHistory')) as { entries: Array<{ url: string }> };
    await cdp.detach();
    return entries.map((entry) => entry.url);
  }

  for (const javaScript of [true, false]) {
    const mode = javaScript ? 'js' : 'nojs';

    it(`the form, the chat and the status page, ${javaScript ? 'with' : 'without'} JavaScript`, async () => {
      const story = `캄보디아 단지에 갇혀 있어요 (${mode})`;
      const said = `여권을 빼앗겼어요 (${mode})`;
      const { reference, receiptCode } = await portal.intake.reports.submitReport(
        { consent: { shareWithLawEnforcement: true }, language: 'ko' },
        { actor: 'test' },
      );

      const phoneOfReporter = await phoneContext(javaScript);
      const page = await phoneOfReporter.newPage();
      // The form: a story saved, its resume code shown.
      await page.goto(`${base}/report?go=incident`);
      await page.fill('#f-incident-narrative', story);
      await page.click('.form-buttons button.primary');
      const code = (await page.locator('.resume strong').innerText()).trim();
      expect(code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
      // The chat: a language chosen, something said.
      await page.goto(`${base}/chat`);
      await page.click('form button[name="choice"][value="ko"], form button[name="choice"][value$="|ko"]');
      await page.fill('#message', said);
      await page.click('form button.primary');
      await expect.poll(() => page.locator('.transcript').innerText()).toContain(said);
      const session = (await phoneOfReporter.cookies()).find((cookie) => cookie.name === 'rl_chat')!.value;
      // The status page: the report opened.
      await page.goto(`${base}/status`);
      await page.fill('#reference', reference);
      await page.fill('#code', receiptCode);
      await page.click('form button.primary');
      await expect.poll(() => page.locator('main').innerText()).toContain(reference);

      const copied = await phoneOfReporter.cookies();
      expect(copied.map((cookie) => cookie.name)).toEqual(
        expect.arrayContaining(['rl_report', 'rl_chat', 'rl_status']),
      );
      await page.click('button[data-leave]');
      await page.waitForURL(exitUrl);
      await phoneOfReporter.close();

      // Another browser with the copied cookies.
      const copier = await phoneContext(javaScript);
      await copier.addCookies(copied);
      const replay = await copier.newPage();
      for (const path of ['/report', '/report?go=incident', '/report?go=review', '/chat', '/status']) {
        await replay.goto(`${base}${path}`);
        const html = await replay.content();
        for (const secret of [story, code, said, reference, receiptCode]) expect(html, path).not.toContain(secret);
      }
      await replay.goto(`${base}/status`);
      expect(await replay.locator('#reference').count()).toBe(1);
      await replay.goto(`${base}/chat`);
      expect(await replay.locator('.transcript li.reporter').count()).toBe(0);
      await replay.screenshot({ path: join(screenshotDir, `exit-replay-chat-${mode}.png`), fullPage: true });
      await copier.close();

      // The chat's transcript is gone from the database, not only from the page.
      const conversations = new ConversationStore({ db: database.db, cipher: portal.intake.cipher });
      expect(await conversations.load('webchat', session)).toBeUndefined();
      for (const row of await database.db.selectFrom('conversations').select(['id', 'state_enc']).execute())
        expect(
          JSON.stringify(portal.intake.cipher.decryptJson(row.state_enc, `conversation:${row.id}:state`)),
        ).not.toContain(said);

      // The resume code, entered in the form, still opens the draft; no address in the history carries it.
      const later = await phoneContext(javaScript);
      const resumed = await later.newPage();
      await resumed.goto(`${base}/report/resume`);
      await resumed.fill('#resume-code', code);
      await resumed.click('form[action="/report/resume"] button');
      await expect.poll(() => resumed.locator('main').innerText()).toContain(story);
      await resumed.screenshot({ path: join(screenshotDir, `exit-replay-resumed-${mode}.png`), fullPage: true });
      for (const url of await addresses(resumed)) expect(url).not.toContain(code);
      expect(await resumed.locator('.code-link bdi').textContent()).toBe('/report/resume');
      await later.close();
    });
  }
});
