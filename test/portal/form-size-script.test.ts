import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, warnIfChromiumMissing } from '../support/browser.js';
import { messageKeys } from '../support/page-messages.js';
import { openPublicPortalInBrowser } from '../support/public-portal-in-browser.js';
import { formLimits } from '../../portal/http/form-limits.js';

warnIfChromiumMissing();

/** The form's size check (portal/assets/form-size.js) in Chromium: a story too long to send stays in the page. */
describe.skipIf(!chromiumAvailable)('the report form with its script, on a text step too long to send', () => {
  let lab: Awaited<ReturnType<typeof openPublicPortalInBrowser>>;
  beforeAll(async () => {
    lab = await openPublicPortalInBrowser();
  });
  afterAll(async () => lab?.close());

  async function incidentStep(): Promise<Page> {
    const page = await lab.newPage('en-US');
    await page.goto(`${lab.base}/report/incident`);
    return page;
  }

  it('keeps the story in the page and says to shorten it, sending nothing', async () => {
    const page = await incidentStep();
    // Three bytes a character, nine characters on the wire (Han: Burmese's shaping makes Chromium slow to lay out).
    const story = '漢'.repeat(Math.ceil(formLimits.text.maxBytes / 9) + 1000);
    const narrative = page.locator('textarea[name="incident.narrative"]');
    // Set as a paste would (fill types the whole story through the protocol and its log).
    await narrative.evaluate((element, value) => {
      (element as HTMLTextAreaElement).value = value;
    }, story);
    // A mark on the page itself: a post would load another page, without it.
    await page.evaluate(() => document.body.setAttribute('data-still-here', ''));
    await page.locator('.form-buttons button.primary').click();
    await expect.poll(() => page.locator('[data-too-large]').isVisible()).toBe(true);
    expect(await page.locator('body[data-still-here]').count()).toBe(1);
    expect((await narrative.inputValue()) === story).toBe(true);
    expect(messageKeys(await page.content())).toContain('form.error.textTooLargeKept');
    // Shortened, it is sent and the step goes on.
    await narrative.evaluate((element) => {
      (element as HTMLTextAreaElement).value = '漢'.repeat(100);
    });
    await page.locator('.form-buttons button.primary').click();
    await expect.poll(() => page.locator('body[data-still-here]').count()).toBe(0);
    expect(messageKeys(await page.content())).toContain('form.step.money.title');
    await page.context().close();
  });
});
