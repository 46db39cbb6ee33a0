import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { repoRoot } from './spawn-process.js';

export const chromiumPath = '/usr/bin/chromium';
export const chromiumAvailable = existsSync(chromiumPath);
export const screenshotDir = join(repoRoot, 'test-output', 'screenshots');

let warned = false;
/** Says once, plainly, that the browser tests were skipped and how to run them. */
export function warnIfChromiumMissing(): void {
  if (!chromiumAvailable && !warned) {
    warned = true;
    process.stderr.write(`Browser tests SKIPPED: ${chromiumPath} is missing. Install it with: apt-get install chromium\n`);
  }
}

/** Debian's Chromium, headless, with no connection to anything but the page under test. */
export async function launchChromium(): Promise<Browser> {
  mkdirSync(screenshotDir, { recursive: true });
  return chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'],
  });
}
