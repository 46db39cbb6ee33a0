import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { languageCodes } from '../../intake/i18n/languages.js';
import { leftToRightRuns } from '../../portal/public/bidi-isolate.js';
import { chosenCoding } from '../../portal/http/compress-response.js';
import { publicCookies } from '../../portal/public/quick-exit.js';
import { messageKeys } from '../support/page-messages.js';
import { browserFor, createPublicPortal } from '../support/public-portal.js';
import { createTestDatabase, type TestDatabase } from '../support/test-databases.js';
import { testI18n } from '../support/test-portal.js';

const png = (marker: string) =>
  new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...Buffer.from(marker)]);
const titleOf = (html: string) => /<title>([^<]*)<\/title>/.exec(html)?.[1];

describe('the public pages keep a watched reporter safe', () => {
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

  it('the exit ends the visit: every public cookie expires, the browser is told to drop its copies, the neutral site replaces the page', async () => {
    const reporter = browserFor(portal.app, 'ko');
    const page = await reporter.open('/report/incident');
    await reporter.submit(page, '/report', { step: 'incident', action: 'next', 'incident.narrative': '갇혀 있어요' });
    await reporter.open('/chat');
    expect(reporter.cookies.get('rl_report')).toBeTruthy();
    const response = await portal.app.request('/leave', { method: 'POST', headers: { 'accept-language': 'ar' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('clear-site-data')).toBe('"cache", "cookies", "storage"');
    expect(response.headers.get('cache-control')).toBe('no-store');
    const expired = response.headers.getSetCookie();
    for (const { name, path } of publicCookies)
      expect(expired).toContainEqual(
        expect.stringMatching(new RegExp(`^${name}=; Max-Age=0; Path=${path.replace('/', '\\/')}(;|$)`)),
      );
    // Without a script the answer replaces itself with the neutral site (a refresh, not a history entry).
    const html = await response.text();
    expect(html).toContain('<meta http-equiv="refresh" content="0;url=https://www.bbc.com/weather">');
    // Seen for an instant: a whole page in the reader's language under the neutral title, its link in a landmark.
    expect(html).toContain('<html lang="ar" dir="rtl">');
    expect(titleOf(html)).toBe(testI18n.getFixedT('ar', 'portal')('disguise.title'));
    expect(html).toMatch(/<main><h1>[^<]+<\/h1><p><a href="https:\/\/www.bbc.com\/weather" rel="noreferrer">/);
  });

  it('every public page has the neutral title in every language, and nothing else in its title', async () => {
    for (const language of languageCodes) {
      const visitor = browserFor(portal.app, language);
      const neutral = testI18n.getFixedT(language, 'portal')('disguise.title');
      for (const path of ['/', '/report', '/report/safety', '/report/incident', '/report/about', '/chat', '/status'])
        expect(titleOf((await visitor.open(path)).html), `${path} in ${language}`).toBe(neutral);
    }
  });

  it('the front page says, in the visitor’s language, how to use a private tab and clear the history', async () => {
    for (const language of ['ko', 'ar', 'my'] as const) {
      const t = testI18n.getFixedT(language, 'portal');
      const { html } = await browserFor(portal.app, language).open('/');
      const note = /<details class="privacy">([\s\S]*?)<\/details>/.exec(html)?.[1] ?? '';
      for (const key of ['privacy.title', 'privacy.privateTab', 'privacy.clearHistory', 'privacy.leave'])
        expect(note, `${key} in ${language}`).toContain(t(key).replace(/"/g, '&quot;'));
    }
  });

  it('every form of the public pages is autocomplete="off", and the receipt code is not a password field', async () => {
    const visitor = browserFor(portal.app, 'en');
    for (const path of [
      '/',
      '/report',
      ...['safety', 'incident', 'money', 'contacts', 'evidence', 'about'].map((s) => `/report/${s}`),
      '/chat',
      '/status',
    ]) {
      const { html } = await visitor.open(path);
      const forms = [...html.matchAll(/<form [^>]*>/g)]
        .map((match) => match[0])
        .filter((tag) => !tag.includes('"/leave"'));
      expect(forms.length, path).toBeGreaterThan(0);
      for (const form of forms) expect(form, path).toContain('autocomplete="off"');
    }
    const status = (await visitor.open('/status')).html;
    expect(status).not.toContain('type="password"');
    expect(status).toMatch(/<input id="code" name="code" type="text" autocomplete="off"/);
  });

  it('the country for the emergency numbers is posted: no page links or submits with ?country=', async () => {
    const { html } = await browserFor(portal.app, 'en').open('/');
    expect(html).not.toContain('country=');
    expect(html).toMatch(/<form method="post" action="\/\?lang=en"[^>]*>[\s\S]*?<select id="country" name="country">/);
  });

  it('a refused file on the status page keeps the message and adds the other files, with the reason beside the file', async () => {
    const { reportId, reference, receiptCode } = await portal.intake.reports.submitReport(
      { consent: { shareWithLawEnforcement: true }, language: 'ar' },
      { actor: 'test' },
    );
    const reporter = browserFor(portal.app, 'ar');
    const form = await reporter.open('/status');
    const opened = await reporter.submit(form, '/status', { intent: 'check', reference, code: receiptCode });
    expect(opened.response.status).toBe(200);
    const message = 'رقم جديد: +855 97 123 4567';
    const sent = await reporter.submit(opened, '/status', {
      intent: 'add',
      text: message,
      file: [new File([png('slip')], 'slip.png'), new File(['not a picture'], 'notes.exe')],
    });
    expect(sent.response.status).toBe(400);
    expect(messageKeys(sent.html)).toEqual(expect.arrayContaining(['status.addedWithoutSome', 'form.error.fileType']));
    expect(sent.html).toContain('<bdi>notes.exe</bdi>');
    const [addition] = await portal.intake.followups.listAdditions(reportId);
    expect(addition).toMatchObject({ text: message });
    expect(addition!.evidence.map((file) => file.fileName)).toEqual(['slip.png']);
    // Only a refused file and no message: nothing is added, the reason is shown, and nothing was typed to lose.
    const refusedOnly = await reporter.submit(sent, '/status', {
      intent: 'add',
      text: '',
      file: new File(['x'], 'a.exe'),
    });
    expect(messageKeys(refusedOnly.html)).toEqual(
      expect.arrayContaining(['status.fileRejected', 'form.error.fileType']),
    );
    expect(await portal.intake.followups.listAdditions(reportId)).toHaveLength(1);
    // Everything of the status page is at one address: the report opened and the addition both answer at /status.
    expect(opened.html).toContain('<form method="post" action="/status" enctype="multipart/form-data"');
  });

  it('the web chat’s receipt says what hiding does in the web chat, never Telegram’s /hide', async () => {
    const hideAdvice = (language: string) => testI18n.getFixedT(language, 'portal')('chat.hideAdvice');
    const { createWebChatChannel } = await import('../../portal/public/web-chat-channel.js');
    const channel = createWebChatChannel(testI18n);
    for (const language of ['en', 'ko', 'ar', 'my'] as const) {
      const [receipt] = channel.transcriptLines(
        [
          {
            type: 'receipt',
            reference: 'RL-AAAA-BBBB',
            receiptCode: 'CCCC-DDDD-EEEE',
            routingLines: [],
            adviceKeys: ['advice.embassy', 'advice.keepPhoneSafe'],
          },
        ],
        language,
      );
      expect(receipt!.text).toContain(hideAdvice(language));
      expect(receipt!.text).not.toContain(testI18n.getFixedT(language, 'conversation')('advice.keepPhoneSafe'));
    }
  });

  it('hiding the web chat ends it in this browser: the cookie expires and the next page starts empty', async () => {
    let cookie = '';
    const open = async () => {
      const response = await portal.app.request('/chat', { headers: { cookie, 'accept-language': 'en' } });
      const set = response.headers.get('set-cookie');
      if (set) cookie = set.split(';')[0]!;
      return response.text();
    };
    const post = async (fields: Record<string, string>, html: string) => {
      const form = new FormData();
      form.set('token', /name="token" value="([^"]+)"/.exec(html)![1]!);
      for (const [name, value] of Object.entries(fields)) form.set(name, value);
      return portal.app.request('/chat', { method: 'POST', body: form, headers: { cookie } });
    };
    let html = await open();
    const language = /name="choice" value="([^"]*en)"/.exec(html)![1]!;
    await post({ choice: language }, html);
    html = await open();
    const story = 'They keep my passport in the office.';
    await post({ message: story }, html);
    html = await open();
    expect(html).toContain(story);
    const hidden = await post({ command: 'hide' }, html);
    expect(hidden.status).toBe(303);
    expect(hidden.headers.get('set-cookie')).toMatch(/^rl_chat=; Max-Age=0; Path=\/(;|,|$)/);
    cookie = '';
    expect(await open()).not.toContain(story);
  });

  it('sends HTML, CSS and JavaScript compressed with Brotli or gzip, as the browser accepts, above a small size', async () => {
    const weight = async (path: string, encoding: string) => {
      const response = await portal.app.request(path, {
        headers: { 'accept-language': 'my', 'accept-encoding': encoding },
      });
      return { response, body: Buffer.from(await response.arrayBuffer()) };
    };
    // Each answer carries its own form token: the pages are compared without it.
    const withoutToken = (html: string) => html.replace(/name="token" value="[^"]+"/g, '');
    const plain = await weight('/report/incident', 'identity');
    expect(plain.response.headers.get('content-encoding')).toBeNull();
    const br = await weight('/report/incident', 'gzip, deflate, br');
    expect(br.response.headers.get('content-encoding')).toBe('br');
    expect(br.response.headers.get('vary')).toContain('Accept-Encoding');
    expect(withoutToken(brotliDecompressSync(br.body).toString())).toBe(withoutToken(plain.body.toString()));
    // The Burmese incident step, the heaviest page (two country lists), well under the 15 KB aim.
    expect(br.body.byteLength).toBeLessThan(15 * 1024);
    const gzip = await weight('/report/incident', 'gzip');
    expect(gzip.response.headers.get('content-encoding')).toBe('gzip');
    expect(withoutToken(gunzipSync(gzip.body).toString())).toBe(withoutToken(plain.body.toString()));
    const css = await weight('/assets/site.css', 'br');
    expect(css.response.headers.get('content-encoding')).toBe('br');
    expect(brotliDecompressSync(css.body).toString()).toContain('.leave');
    // A tiny answer is not worth its coding.
    const tiny = await weight('/healthz', 'br');
    expect(tiny.response.headers.get('content-encoding')).toBeNull();
    expect(chosenCoding('gzip;q=1, br;q=0')).toBe('gzip');
    expect(chosenCoding('*')).toBe('br');
    expect(chosenCoding('identity')).toBeUndefined();
  });

  it('isolates every left-to-right run in a right-to-left text: names with their brackets, commands, numbers', () => {
    const isolated = (text: string) =>
      leftToRightRuns(text)
        .filter((part) => part.isolate)
        .map((part) => part.text);
    expect(isolated('أُرسل بلاغك إلى Royal Thai Police (RTP) و Cambodian National Police.')).toEqual([
      'Royal Thai Police (RTP)',
      'Cambodian National Police',
    ]);
    expect(isolated('تابع بلاغك (/status) أو أضف إليه (/add).')).toEqual(['/status', '/add']);
    expect(isolated('رقم البلاغ: RL-AB12-CD34، المبلغ 2,000 USDT.')).toEqual(['RL-AB12-CD34', '2,000 USDT']);
  });
});
