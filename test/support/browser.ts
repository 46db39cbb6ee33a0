import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:https';
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

/** The ordinary outside site the quick exit leads to by default (portal/public/disguise.ts). */
const neutralSiteHost = 'www.bbc.com';

/**
 * The neutral site, answered on loopback over TLS (a self-signed certificate for www.bbc.com, in
 * test/fixtures/neutral-site-tls): the sandbox has no internet. Chromium is pointed at it by its host resolver
 * rather than by Playwright's request routing, which would send every request of every page (stylesheets,
 * scripts, fonts) through this process first and turn off the browser's HTTP cache while any route is set.
 */
async function serveNeutralSite(): Promise<{ port: number; close(): void }> {
  const tls = join(repoRoot, 'test', 'fixtures', 'neutral-site-tls');
  const server = createServer(
    { key: readFileSync(join(tls, 'key.pem')), cert: readFileSync(join(tls, 'cert.pem')) },
    (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end('<title>Weather</title><h1>Weather</h1>');
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, close: () => server.close() };
}

/**
 * Debian's Chromium, headless, with no connection to anything but the page under test and the neutral site
 * (its own loopback server, which closes with the browser).
 */
export async function launchChromium(): Promise<Browser> {
  mkdirSync(screenshotDir, { recursive: true });
  const neutralSite = await serveNeutralSite();
  const browser = await chromium
    .launch({
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
        `--host-resolver-rules=MAP ${neutralSiteHost}:443 127.0.0.1:${neutralSite.port}`,
        // The neutral site's certificate is self-signed; every other page the tests open is plain http on loopback.
        '--ignore-certificate-errors',
      ],
    })
    .catch((error: unknown) => {
      neutralSite.close();
      throw error;
    });
  browser.on('disconnected', () => neutralSite.close());
  return browser;
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
