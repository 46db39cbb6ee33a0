import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../app/config.js';
import { createPortal } from '../../app/create-portal.js';
import { silentLogger } from '../../app/logger.js';
import { openServices, type Services } from '../../app/open-services.js';
import { languages } from '../../intake/i18n/languages.js';

/**
 * The one place a test reads rendered copy: a smoke test per language that
 * the portal, built by the composition root, speaks it. Every other test
 * checks keys and structure, so a native speaker's review of a translation
 * breaks nothing; this one compares with the locale itself, not with a
 * wording copied into the test.
 */

const escapeHtml = (text: string) =>
  text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');

let folder: string;
let services: Services;
let app: ReturnType<typeof createPortal>;

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'reportline-languages-'));
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

describe.each(languages.map((language) => [language.code, language.direction] as const))(
  'the landing page in %s',
  (code, direction) => {
    it('is written in that language, in its direction, in its own translation', async () => {
      const response = await app.request(`/?lang=${code}`);
      expect(response.status).toBe(200);
      const html = await response.text();
      expect(html).toContain(`<html lang="${code}" dir="${direction}">`);
      const title = services.i18n.getFixedT(code, 'portal')('landing.title');
      expect(html).toContain(`<h1>${escapeHtml(title)}</h1>`);
      if (code !== 'en') expect(title).not.toBe(services.i18n.getFixedT('en', 'portal')('landing.title'));
    });
  },
);
