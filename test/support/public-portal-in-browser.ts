import type { Browser, Page } from 'playwright-core';
import { launchChromium, serveOnLoopback } from './browser.js';
import { createPublicPortal } from './public-portal.js';
import { createTestDatabase, type TestDatabase } from './test-databases.js';

const phone = { width: 390, height: 844 };

/**
 * The public portal over a fresh SQLite file, served on loopback, and a
 * headless Chromium to open it with phone-size pages. The quick exit's
 * outside site is answered locally (launchChromium): the sandbox has no internet.
 */
export async function openPublicPortalInBrowser() {
  const database: TestDatabase = await createTestDatabase('sqlite');
  const portal = await createPublicPortal(database);
  const server = await serveOnLoopback(portal.app.fetch);
  const browser: Browser = await launchChromium();
  return {
    portal,
    base: server.base,
    async newPage(locale: string): Promise<Page> {
      const context = await browser.newContext({ viewport: phone, locale });
      return context.newPage();
    },
    async close() {
      await browser.close();
      await server.close();
      await portal.dispose();
      await database.dispose();
    },
  };
}
