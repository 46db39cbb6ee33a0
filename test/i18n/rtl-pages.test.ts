import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../app/config.js';
import { createPortal } from '../../app/create-portal.js';
import { silentLogger } from '../../app/logger.js';
import { openServices, type Services } from '../../app/open-services.js';

/**
 * An Arabic page keeps every number, code and URL whole: each sits in
 * `<bdi>` (a number or an agency's name the page inserts) or in a Unicode
 * isolate (a value i18next inserts, a number written in the text).
 */

let folder: string;
let services: Services;
let app: ReturnType<typeof createPortal>;

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'reportline-rtl-pages-'));
  const config = loadConfig({
    REPORTLINE_DATA_DIR: join(folder, 'data'),
    REPORTLINE_DATA_KEY: randomBytes(32).toString('hex'),
  });
  services = await openServices(config, silentLogger);
  app = createPortal(services, silentLogger);
});

afterAll(async () => {
  await services?.close();
  rmSync(folder, { recursive: true, force: true });
});

const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", '#x2F': '/' };

/** The page's visible text, with `<bdi>` written as the isolate it is. */
function visibleText(html: string): string {
  return html
    .replace(/<(script|style|title)[^>]*>[\s\S]*?<\/\1>/g, ' ')
    .replace(/<bdi>/g, '\u2068')
    .replace(/<\/bdi>/g, '\u2069')
    .replace(/<\/(p|li|h\d|div|label|option|summary|a|button)>/g, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&(amp|lt|gt|quot|#39|#x2F);/g, (_, name: string) => entities[name] ?? '');
}

/** Digit runs, signed numbers and URLs of a text that stand outside every isolate. */
function unisolated(text: string): string[] {
  const found: string[] = [];
  for (const line of text.split('\n')) {
    let depth = 0;
    let run = '';
    const flush = () => {
      if (/\d|^[+#/]/.test(run) && /[\d/]/.test(run)) found.push(run);
      run = '';
    };
    for (const char of line) {
      if (char === '\u2066' || char === '\u2067' || char === '\u2068') {
        flush();
        depth += 1;
      } else if (char === '\u2069') {
        depth = Math.max(0, depth - 1);
        run = '';
      } else if (depth === 0 && /[A-Za-z0-9+#/:.-]/.test(char)) run += char;
      else flush();
    }
    flush();
  }
  return found.filter((run) => /\d|^\//.test(run) && !/^[.:-]+$/.test(run));
}

describe('the Arabic pages', () => {
  it('show the emergency numbers and agencies of a country whole', async () => {
    const response = await app.request('/?lang=ar', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'country=US',
    });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('<html lang="ar" dir="rtl">');
    expect(html).toContain('<bdi><a href="tel:+18883737888">+1-888-373-7888</a></bdi>');
    expect(unisolated(visibleText(html))).toEqual([]);
  });

  it.each(['/?lang=ar', '/status?lang=ar', '/chat?lang=ar'])(
    '%s writes no number or command outside an isolate',
    async (path) => {
      const response = await app.request(path);
      expect(response.status).toBe(200);
      expect(unisolated(visibleText(await response.text()))).toEqual([]);
    },
  );
});
