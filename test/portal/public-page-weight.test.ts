import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversationCountries } from '../../intake/conversation/choice-options.js';
import { createPublicPortal } from '../support/public-portal.js';
import { createTestDatabase, type TestDatabase } from '../support/test-databases.js';

/** The aim for the heaviest public page in Burmese, on the wire (compressed, headers included). */
const pageWeightAim = 15 * 1024;

/**
 * A phone's browser asking for compressed pages, keeping cookies and
 * following the form's 303s, that counts what each page weighs on the wire:
 * the compressed body and the response headers.
 */
function compressedBrowser(app: Awaited<ReturnType<typeof createPublicPortal>>['app'], language: string) {
  const cookies = new Map<string, string>();
  const headers = () => ({
    cookie: [...cookies].map(([name, value]) => `${name}=${value}`).join('; '),
    'accept-language': language,
    'accept-encoding': 'gzip, deflate, br',
  });
  const remember = (response: Response) => {
    for (const set of response.headers.getSetCookie()) {
      const [pair] = set.split(';');
      const [name, value] = pair!.split('=');
      cookies.set(name!, value ?? '');
    }
  };
  const weighed = async (response: Response) => {
    const body = new Uint8Array(await response.arrayBuffer());
    let headerBytes = `HTTP/1.1 ${response.status} OK\r\n`.length;
    response.headers.forEach((value, name) => (headerBytes += `${name}: ${value}\r\n`.length));
    const coding = response.headers.get('content-encoding');
    const decoded = coding === 'br' ? brotliDecompressSync(body) : coding === 'gzip' ? gunzipSync(body) : body;
    return { response, bytes: body.length + headerBytes, coding, html: Buffer.from(decoded).toString('utf8') };
  };
  const open = async (path: string): Promise<Awaited<ReturnType<typeof weighed>>> => {
    const response = await app.request(path, { headers: headers() });
    remember(response);
    if (response.status === 303) return open(response.headers.get('location')!);
    return weighed(response);
  };
  /** The page's HTML, uncompressed, for reading its form token and options. */
  const html = async (path: string) => {
    const response = await app.request(path, { headers: { ...headers(), 'accept-encoding': 'identity' } });
    remember(response);
    return response.text();
  };
  const post = async (path: string, fields: Record<string, string>) => {
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    const response = await app.request(path, { method: 'POST', body: form, headers: headers() });
    remember(response);
    if (response.status === 303) return open(response.headers.get('location')!);
    return weighed(response);
  };
  return { open, html, post };
}

const tokenOf = (html: string) => /name="token" value="([^"]+)"/.exec(html)?.[1] ?? '';

describe('the public pages stay light on a slow phone link', () => {
  let database: TestDatabase;
  let portal: Awaited<ReturnType<typeof createPublicPortal>>;

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    portal = await createPublicPortal(database);
  });
  afterAll(async () => {
    await portal?.dispose();
    await database?.dispose();
  });

  it('every public page in Burmese (and Korean, Arabic) is at most 15 KB on the wire, compressed', async () => {
    const weights: Record<string, number> = {};
    for (const language of ['my', 'ko', 'ar']) {
      const browser = compressedBrowser(portal.app, language);
      const weigh = async (name: string, shown: Promise<{ bytes: number; coding: string | null; html: string }>) => {
        const { bytes, coding, html } = await shown;
        expect(coding, `${name} in ${language}`).toMatch(/^(br|gzip)$/);
        // The page it is meant to be, as heavy as it gets (the numbers shown, each step of the form).
        if (!['landing', 'landing with numbers', 'form start', 'chat', 'status'].includes(name))
          expect(html, `${name} in ${language}`).toContain(`data-message="form.step.${name}.title"`);
        if (name === 'landing with numbers') expect(html, `numbers in ${language}`).toMatch(/href="tel:/);
        weights[`${name} ${language}`] = bytes;
      };
      await weigh('landing', browser.open(`/?lang=${language}`));
      const landing = await browser.html('/');
      await weigh(
        'landing with numbers',
        browser.post(`/?lang=${language}`, { token: tokenOf(landing), country: 'MM' }),
      );
      await weigh('form start', browser.open('/report'));
      await weigh('safety', browser.open('/report?go=safety'));
      const safety = await browser.html('/report');
      await weigh(
        'incident',
        browser.post('/report', {
          token: tokenOf(safety),
          step: 'safety',
          action: 'next',
          'safety.inImmediateDanger': 'yes',
          'safety.heldAgainstWill': 'yes',
          'victim.currentCountry': 'MM',
        }),
      );
      for (const step of ['money', 'contacts', 'evidence', 'about', 'urgent', 'review'])
        await weigh(step, browser.open(`/report?go=${step}`));
      await weigh('chat', browser.open('/chat'));
      await weigh('status', browser.open('/status'));
    }
    const [heaviest, bytes] = Object.entries(weights).sort((a, b) => b[1] - a[1])[0]!;
    expect(Object.keys(weights)).toHaveLength(3 * 13);
    expect(bytes, `the heaviest page, ${heaviest}`).toBeLessThanOrEqual(pageWeightAim);
  });

  it('a country picker lists the region’s countries first, then a separator, then every other country', async () => {
    for (const language of ['my', 'ko', 'ar']) {
      const browser = compressedBrowser(portal.app, language);
      await browser.open('/report?go=safety');
      const html = await browser.html('/report');
      const picker = /<select id="f-victim-currentCountry"[^>]*>([\s\S]*?)<\/select>/.exec(html)![1]!;
      const options = [...picker.matchAll(/<option( value="([^"]*)")?( disabled="")?[^>]*>/g)].map((match) =>
        match[3] ? '—' : match[2]!,
      );
      const separator = options.indexOf('—');
      // "Choose", the region's countries in the order the hotline serves them, a separator, then the rest.
      expect(options.slice(1, separator)).toEqual([...conversationCountries]);
      expect(options.length - separator - 1).toBeGreaterThan(200);
      expect(options.slice(separator + 1)).not.toEqual(expect.arrayContaining([...conversationCountries]));
    }
  });
});
