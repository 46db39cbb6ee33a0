import type { CDPSession, Page } from 'playwright-core';
import { launchChromium, serveOnLoopback } from '../test/support/browser.js';
import { createPublicPortal } from '../test/support/public-portal.js';
import { createTestDatabase } from '../test/support/test-databases.js';
import type { BenchLine } from './bench-line.js';

/** The heaviest public page, in Burmese (the longest script of the thirteen), compressed, headers included. */
const pageWeightAim = 15 * 1024;
/** A whole urgent report from the front page, on a 2G link. */
const urgentPathAimMs = 10_000;
/** A slow 2G link, as a reporter in a compound may have: 250 kbit/s each way, 800 ms round trip. */
const slow2G = { offline: false, latency: 800, downloadThroughput: 250_000 / 8, uploadThroughput: 250_000 / 8 };
const phone = { width: 390, height: 844 };

/** Bytes on the wire of every document the page loads from now on (Chromium's encodedDataLength: headers and body). */
async function documentBytes(page: Page): Promise<{ cdp: CDPSession; documents: Map<string, number> }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  const documents = new Map<string, number>();
  const urls = new Map<string, string>();
  cdp.on('Network.responseReceived', (event: { requestId: string; type: string; response: { url: string } }) => {
    if (event.type === 'Document') urls.set(event.requestId, event.response.url);
  });
  cdp.on('Network.loadingFinished', (event: { requestId: string; encodedDataLength: number }) => {
    const url = urls.get(event.requestId);
    if (url) documents.set(`${documents.size} ${url}`, event.encodedDataLength);
  });
  return { cdp, documents };
}

/**
 * What a reporter in danger does, from the front page: "send my report now"
 * in its danger box, the safety questions (in danger now, the country), "send
 * now", consent, send. Returns when the receipt is shown.
 */
async function urgentReport(page: Page, base: string): Promise<void> {
  await page.goto(`${base}/?lang=my`);
  await page.click('a[href="/report?go=safety&lang=my"]');
  await page.check('#f-safety-inImmediateDanger-0');
  await page.selectOption('#f-victim-currentCountry', 'KH');
  await page.click('button[value="goto:urgent"]');
  await page.check('#f-consent-shareWithLawEnforcement-0');
  await page.click('.form-buttons button.primary');
  await page.waitForSelector('h1[data-message="form.done.title"]');
}

export async function benchPageWeight(): Promise<BenchLine[]> {
  const database = await createTestDatabase('sqlite');
  const portal = await createPublicPortal(database);
  const server = await serveOnLoopback(portal.app.fetch);
  const browser = await launchChromium();
  try {
    const base = server.base;
    // Every public page in Burmese, each as heavy as it gets (the danger box shown, a report opened).
    const context = await browser.newContext({ viewport: phone, locale: 'my' });
    const page = await context.newPage();
    const { documents } = await documentBytes(page);
    await page.goto(`${base}/?lang=my`);
    await page.selectOption('#country', 'MM');
    await page.click('section[aria-labelledby="danger"] form button');
    await page.waitForSelector('.contacts, p');
    await page.goto(`${base}/report`);
    await page.goto(`${base}/report?go=safety`);
    await page.check('#f-safety-inImmediateDanger-0');
    await page.selectOption('#f-victim-currentCountry', 'MM');
    await page.click('.form-buttons button.primary');
    for (const step of ['incident', 'money', 'contacts', 'evidence', 'about', 'urgent', 'review'])
      await page.goto(`${base}/report?go=${step}`);
    await page.goto(`${base}/chat`);
    await page.goto(`${base}/status`);
    await context.close();
    const [heaviest, bytes] = [...documents].sort((a, b) => b[1] - a[1])[0]!;

    // The urgent path on a simulated 2G link, from a cold browser (nothing cached).
    const slow = await browser.newContext({ viewport: phone, locale: 'my' });
    const slowPage = await slow.newPage();
    const cdp = await slow.newCDPSession(slowPage);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', slow2G);
    const started = performance.now();
    await urgentReport(slowPage, base);
    const urgentMs = performance.now() - started;
    await slow.close();

    return [
      {
        name: `heaviest public page in Burmese, bytes on the wire (${heaviest.split(' ')[1]!.replace(base, '')})`,
        value: bytes / 1024,
        unit: 'KB',
        aim: `≤ ${pageWeightAim / 1024} KB`,
        met: bytes <= pageWeightAim,
      },
      {
        name: 'urgent report from the front page to the receipt on 2G (250 kbit/s, 800 ms RTT)',
        value: urgentMs / 1000,
        unit: 's',
        aim: `≤ ${urgentPathAimMs / 1000} s (15.2 s before compression and the urgent page)`,
        met: urgentMs <= urgentPathAimMs,
      },
    ];
  } finally {
    await browser.close();
    await server.close();
    await portal.dispose();
    await database.dispose();
  }
}
