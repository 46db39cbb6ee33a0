import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { chromium, type Browser, type Page } from 'playwright-core';
import { repoRoot } from './spawn-process.js';

export const chromiumPath = '/usr/bin/chromium';
export const chromiumAvailable = existsSync(chromiumPath);
export const screenshotDir = join(repoRoot, 'test-output', 'screenshots');

let warned = false;
/** Says once, plainly, that the browser tests were skipped and how to run them. */
export function warnIfChromiumMissing(): void {
  if (!chromiumAvailable && !warned) {
    warned = true;
    process.stderr.write(
      `Browser tests SKIPPED: ${chromiumPath} is missing. Install it with: apt-get install chromium\n`,
    );
  }
}

/** Debian's Chromium, headless, with no connection to anything but the page under test. */
export async function launchChromium(): Promise<Browser> {
  mkdirSync(screenshotDir, { recursive: true });
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-quic',
      '--no-first-run',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * Whether the screenshots no test result depends on are saved too (REPORTLINE_SCREENSHOTS=1): a full-page
 * screenshot costs Chromium a whole layout and PNG encoding, and the suite takes a few hundred of them. The
 * screenshots an issue asked for (the dashboard at 1366×768, the phone pages of issue 16) are always saved.
 */
export const screenshotsAsked = process.env.REPORTLINE_SCREENSHOTS === '1';

/** Saves a screenshot to `test-output/screenshots/<name>.png` when REPORTLINE_SCREENSHOTS=1 asks for them. */
export async function screenshotIfAsked(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<void> {
  if (screenshotsAsked) await page.screenshot({ path: join(screenshotDir, `${name}.png`), ...options });
}

let axeSource: string | undefined;

/** One axe-core violation as a test reports it: the rule, its impact and where on the page. */
export interface AxeViolation {
  id: string;
  impact: string;
  targets: string;
}

/**
 * Runs axe-core in the page and returns its violations of any impact. The
 * pages' strict CSP forbids injected scripts, so axe's source is evaluated in
 * the page's own context. Every rule runs; `resultTypes: ['violations']` only
 * stops axe from describing each node that passed (or did not apply), and the
 * violations are reduced in the page, so Chromium neither builds nor sends
 * the description of every passing node: a third of the time of a whole
 * result (measured on the report form's pages), the same violations found.
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  axeSource ??= readFileSync(join(repoRoot, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run: (options: { resultTypes: string[] }) => Promise<{
            violations: Array<{ id: string; impact: string | null; nodes: Array<{ target: unknown[] }> }>;
          }>;
        };
      }
    ).axe;
    const { violations } = await axe.run({ resultTypes: ['violations'] });
    return violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact ?? '',
      targets: violation.nodes.map((node) => node.target.join(' ')).join(', '),
    }));
  });
}

/** Every axe violation, whatever its impact, as `name: rule (impact) at targets` (the issues ask for none at all). */
export async function allAccessibilityProblems(page: Page, name: string): Promise<string[]> {
  return (await axeViolations(page)).map(
    (violation) => `${name}: ${violation.id} (${violation.impact}) at ${violation.targets}`,
  );
}

/**
 * Saves a phone- or desktop-size screenshot of the page, then runs axe-core
 * in it and returns its serious and critical violations (`name: rule`).
 */
export async function seriousAccessibilityProblems(page: Page, name: string): Promise<string[]> {
  await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true });
  return (await axeViolations(page))
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${name}: ${violation.id}`);
}

/** Serves an app on a free port of 127.0.0.1 for the browser; `close()` stops it. */
export async function serveOnLoopback(
  fetch: (request: Request) => Response | Promise<Response>,
): Promise<{ base: string; close(): Promise<void> }> {
  const server = serve({ fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((resolve) => server.once('listening', resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
