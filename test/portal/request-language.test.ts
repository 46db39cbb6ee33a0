import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { chosenLanguage, detectLanguage, linkedLanguage, visitorLanguage } from '../../portal/http/request-language.js';

function languageApp() {
  const app = new Hono();
  app.use('*', detectLanguage);
  app.get('/', (c) =>
    c.json({ language: visitorLanguage(c), chosen: chosenLanguage(c) ?? null, linked: linkedLanguage(c) ?? null }),
  );
  return app;
}

async function detect(path: string, headers: Record<string, string> = {}) {
  const response = await languageApp().request(path, { headers });
  return { body: await response.json(), cookie: response.headers.get('set-cookie') };
}

describe('the visitor’s language', () => {
  it('follows Accept-Language by its q-values, not its order, and falls back to English', async () => {
    expect((await detect('/', { 'accept-language': 'fr;q=1, en;q=0.2, th;q=0.9' })).body.language).toBe('th');
    expect((await detect('/', { 'accept-language': 'ko;q=0, ja' })).body.language).toBe('ja');
    expect((await detect('/', { 'accept-language': 'zh-Hans-CN, en;q=0.5' })).body.language).toBe('zh');
    expect((await detect('/', { 'accept-language': 'tl-PH' })).body.language).toBe('fil');
    expect((await detect('/', { 'accept-language': 'de, fr' })).body.language).toBe('en');
    expect((await detect('/')).body).toEqual({ language: 'en', chosen: null, linked: null });
  });

  it('takes ?lang= over the cookie over the browser, and calls only the first two chosen', async () => {
    expect((await detect('/?lang=km', { cookie: 'rl_lang=vi', 'accept-language': 'th' })).body).toEqual({
      language: 'km',
      chosen: 'km',
      linked: 'km',
    });
    expect((await detect('/', { cookie: 'rl_lang=vi', 'accept-language': 'th' })).body).toEqual({
      language: 'vi',
      chosen: 'vi',
      linked: null,
    });
    expect((await detect('/?lang=xx', { cookie: 'rl_lang=zz', 'accept-language': 'th' })).body).toEqual({
      language: 'th',
      chosen: null,
      linked: null,
    });
  });

  it('remembers a linked language in a session cookie only, and stores nothing guessed from the browser', async () => {
    const linked = await detect('/?lang=ar');
    expect(linked.cookie).toBe('rl_lang=ar; Path=/; HttpOnly; SameSite=Lax');
    expect(linked.cookie).not.toMatch(/Max-Age|Expires/i);
    expect((await detect('/', { 'accept-language': 'ko' })).cookie).toBeNull();
    expect((await detect('/', { cookie: 'rl_lang=ko' })).cookie).toBeNull();
  });

  it('marks the cookie Secure over HTTPS', async () => {
    const response = await languageApp().request('https://report.example.org/?lang=ms');
    expect(response.headers.get('set-cookie')).toBe('rl_lang=ms; Path=/; HttpOnly; Secure; SameSite=Lax');
  });
});
