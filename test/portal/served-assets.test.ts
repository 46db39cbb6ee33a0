import { describe, expect, it } from 'vitest';
import { serveAssets } from '../../portal/assets/serve-assets.js';
import { createConsoleAssets } from '../../portal/console/console-assets.js';
import { createPublicAssets } from '../../portal/public/public-assets.js';

describe('the pages’ style sheets and scripts, served from portal/assets', () => {
  it('serves each at its URL with its content type, no sniffing and an ETag of its content', async () => {
    const expected = [
      [createPublicAssets(), '/assets/site.css', 'text/css; charset=utf-8'],
      [createPublicAssets(), '/assets/quick-exit.js', 'text/javascript; charset=utf-8'],
      [createPublicAssets(), '/assets/receipt.js', 'text/javascript; charset=utf-8'],
      [createConsoleAssets(), '/assets/console.css', 'text/css; charset=utf-8'],
    ] as const;
    const etags = new Set<string>();
    for (const [app, path, type] of expected) {
      const response = await app.request(path);
      expect(response.status, path).toBe(200);
      expect(response.headers.get('content-type')).toBe(type);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('cache-control')).toBe('public, max-age=3600');
      expect(response.headers.get('etag')).toMatch(/^"[A-Za-z0-9_-]{43}"$/);
      expect((await response.text()).length).toBeGreaterThan(100);
      etags.add(response.headers.get('etag')!);
    }
    expect(etags.size).toBe(expected.length);
  });

  it('answers 304 without a body when the browser already holds this content', async () => {
    const app = createPublicAssets();
    const etag = (await app.request('/assets/site.css')).headers.get('etag')!;
    for (const ifNoneMatch of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
      const response = await app.request('/assets/site.css', { headers: { 'if-none-match': ifNoneMatch } });
      expect(response.status, ifNoneMatch).toBe(304);
      expect(response.headers.get('etag')).toBe(etag);
      expect(await response.text()).toBe('');
    }
    const changed = await app.request('/assets/site.css', { headers: { 'if-none-match': '"an-older-version"' } });
    expect(changed.status).toBe(200);
  });

  it('serves only the files named at start-up: no request reaches another path', async () => {
    const app = createPublicAssets();
    for (const path of [
      '/assets/console.css',
      '/assets/serve-assets.ts',
      '/assets/..%2Fapp.ts',
      '/assets/%2e%2e/app.ts',
    ])
      expect((await app.request(path)).status, path).toBe(404);
  });

  it('refuses at start-up a name that is not a plain style sheet or script, or a file that is missing', () => {
    expect(() => serveAssets(['../app.ts'])).toThrow(/Not an asset name/);
    expect(() => serveAssets(['serve-assets.ts'])).toThrow(/Not an asset name/);
    expect(() => serveAssets(['missing.css'])).toThrow(/ENOENT/);
  });
});
