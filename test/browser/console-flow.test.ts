import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  chromiumAvailable,
  launchChromium,
  screenshotDir,
  seriousAccessibilityProblems,
  serveOnLoopback,
  warnIfChromiumMissing,
} from '../support/browser.js';
import { openConsoleHarness, type ConsoleHarness } from '../support/console-harness.js';
import { testI18n } from '../support/test-portal.js';

warnIfChromiumMissing();

describe.skipIf(!chromiumAvailable)(
  'a case from the Telegram bot through the staff console and the agency inbox, in headless Chromium',
  () => {
    let harness: ConsoleHarness;
    let server: Awaited<ReturnType<typeof serveOnLoopback>>;
    let base: string;
    let browser: Browser;

    beforeAll(async () => {
      harness = await openConsoleHarness();
      server = await serveOnLoopback(harness.app.fetch);
      base = server.base;
      browser = await launchChromium();
    });
    afterAll(async () => {
      await browser?.close();
      await server?.close();
      await harness?.close();
    });

    async function newPage(locale: string, viewport = { width: 1280, height: 900 }): Promise<Page> {
      const context = await browser.newContext({ viewport, locale });
      return context.newPage();
    }

    async function signIn(page: Page, username: string, password: string) {
      await page.goto(`${base}/staff`);
      await page.fill('#username', username);
      await page.fill('#password', password);
      await page.click('form button.primary');
    }

    async function expectAccessible(page: Page, name: string) {
      expect(await seriousAccessibilityProblems(page, name)).toEqual([]);
    }

    it(
      'signs in, triages, replies to the reporter on Telegram, the agency accepts, and the reporter sees it on their status page',
      { timeout: 90_000 },
      async () => {
        const { api, services } = harness;
        // A Korean reporter reports through the Telegram bot, agreeing to be contacted.
        const reference = await harness.telegramReport(
          660_001,
          '텔레그램 투자방 "골든코인"에 1,500 USDT를 보냈는데 출금이 막혔어요.',
        );
        const receiptCode = /([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})/.exec(
          api
            .callsOf('sendMessage')
            .filter((call) => call.chat_id === 660_001)
            .map((call) => String(call.text))
            .join('\n')
            .replace(/RL-[0-9A-Z]{4}-[0-9A-Z]{4}/g, ''),
        )![1]!;
        const reportId = (await services.caseWork.reportIdOf(reference))!;
        const agencyId = (await services.routing.getRouting(reportId))!.agencies.find(
          (agency) => agency.role === 'primary',
        )!.agencyId;

        // Hotline staff sign in and find the case in the queue.
        const hotline = await harness.account('hotline');
        const staff = await newPage('en-US');
        await signIn(staff, hotline.username, hotline.password);
        await expect.poll(() => staff.locator('h1').innerText()).toBe('Queue');
        await expectAccessible(staff, 'console-queue');
        await staff.click(`a[href="/staff/cases/${reference}"]`);
        await expect.poll(() => staff.locator('h1').innerText()).toContain(reference);

        // Triage: take the case, mark it referred.
        await staff.selectOption('#assignee', hotline.user.id);
        await staff.click('form[action$="/assign"] button');
        await expect.poll(() => staff.locator('.notice').getAttribute('data-message')).toBe('case.assigned');
        await staff.selectOption('#status', 'referred');
        await staff.click('form[action$="/status"] button');
        await expect.poll(() => staff.locator('.notice').getAttribute('data-message')).toBe('case.statusChanged');

        // Reply from a template, filled in in the reporter's language, then sent.
        await staff.selectOption('#template', 'received');
        await staff.click('button[value="preview"]');
        const korean = testI18n.getFixedT('ko', 'messages')('templates.received', { reference });
        await expect.poll(() => staff.inputValue('#reply-body')).toBe(korean);
        await staff.click('button[value="send"]');
        await expect.poll(() => staff.locator('.notice').getAttribute('data-message')).toBe('reply.sentChat');
        // In the chat, after its neutral first line (what a lock screen shows).
        const neutral = testI18n.getFixedT('ko', 'conversation')('newMessageFirstLine');
        expect(api.callsOf('sendMessage').at(-1)).toMatchObject({ chat_id: 660_001, text: `${neutral}\n\n${korean}` });
        await expectAccessible(staff, 'console-case');

        // The agency's officer accepts the referral in the inbox.
        const officer = await harness.account('agency', agencyId);
        const agency = await newPage('en-US');
        await signIn(agency, officer.username, officer.password);
        await agency.click(`a[href="/agency/cases/${reference}"]`);
        await expectAccessible(agency, 'agency-case');
        await agency.fill('#caseNumber', 'CASE-2026-7781');
        await agency.click('form[action$="/case-number"] button');
        await agency.click('button[value="accepted"]');
        await expect.poll(() => agency.locator('.notice').getAttribute('data-message')).toBe('inbox.accepted');
        await agency.goto(`${base}/agency`);
        await expectAccessible(agency, 'agency-inbox');

        // The reporter checks their report on the web, in Korean, on a phone.
        const reporter = await newPage('ko-KR', { width: 390, height: 844 });
        await reporter.goto(`${base}/status`);
        await reporter.fill('#reference', reference);
        await reporter.fill('#code', receiptCode);
        await reporter.click('form button.primary');
        const shown = await reporter.locator('main').innerText();
        expect(shown).toContain(testI18n.getFixedT('ko', 'conversation')('status.with_agency'));
        expect(shown).toContain(korean);
        expect(shown).toContain(reference);
        await reporter.screenshot({ path: join(screenshotDir, 'status-after-agency.png'), fullPage: true });
      },
    );
  },
);
