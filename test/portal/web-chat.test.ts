import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPublicPortal } from '../support/public-portal.js';
import { createTestDatabase, type TestDatabase } from '../support/test-databases.js';

describe('the web chat', () => {
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

  /** A browser: keeps the session cookie and follows the redirect after each post. */
  function browser(language: string) {
    let cookie = '';
    const open = async (path = '/chat') => {
      const response = await portal.app.request(path, { headers: { cookie, 'accept-language': language } });
      const set = response.headers.get('set-cookie');
      if (set) cookie = set.split(';')[0]!;
      return { response, html: await response.text() };
    };
    const token = (html: string) => /name="token" value="([^"]+)"/.exec(html)?.[1] ?? '';
    /** The value of the page's button for an answer: it carries the question it answers (`<question>|<answer>`). */
    const button = (html: string, answer: string) =>
      [...html.matchAll(/name="choice" value="([^"]+)"/g)]
        .map((match) => match[1]!)
        .find((value) => value === answer || value.endsWith(`|${answer}`)) ?? answer;
    const submit = async (fields: Record<string, string | File>, html: string, overrideToken?: string) => {
      const form = new FormData();
      form.set('token', overrideToken ?? token(html));
      for (const [name, value] of Object.entries(fields))
        form.set(name, name === 'choice' && typeof value === 'string' ? button(html, value) : value);
      const response = await portal.app.request('/chat', { method: 'POST', body: form, headers: { cookie } });
      if (response.status === 303) return open();
      return { response, html: await response.text() };
    };
    return { open, submit, cookie: () => cookie };
  }

  it('starts in the visitor’s language, with a session cookie that ends with the browser and pages that are not cached', async () => {
    const visitor = browser('th-TH,th;q=0.9');
    const { response, html } = await visitor.open();
    expect(response.status).toBe(200);
    expect(html).toContain('lang="th"');
    expect(html).toContain('แชตกับ Reportline');
    expect(html).toMatch(/<button type="submit" name="choice" value="(\w+\|)?th">ไทย<\/button>/);
    const cookie = response.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^rl_chat=[A-Za-z0-9_-]{32}; Path=\/; HttpOnly; SameSite=Strict$/);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    // The quick exit is a plain form that works without JavaScript (it ends the visit at /leave).
    expect(html).toMatch(
      /<header class="leave"><form method="post" action="\/leave" data-exit="https:\/\/www\.bbc\.com\/weather"><button type="submit" data-leave="">ออกจากเว็บไซต์นี้<\/button>/,
    );
  });

  it('takes a report from the first question to the receipt with plain form posts, in Arabic, right to left', async () => {
    const visitor = browser('ar');
    let page = await visitor.open();
    page = await visitor.submit({ choice: 'ar' }, page.html);
    expect(page.html).toContain('dir="rtl"');
    page = await visitor.submit({ choice: 'safe' }, page.html);
    page = await visitor.submit({ message: 'احتالوا عليّ في تطبيق استثمار وأرسلت 2,000 USDT' }, page.html);
    page = await visitor.submit({ choice: 'yes' }, page.html);
    page = await visitor.submit({ choice: 'investment_crypto' }, page.html);
    for (let i = 0; i < 6 && !page.html.includes('name="choice" value="done"'); i += 1)
      page = await visitor.submit({ command: 'skip' }, page.html);
    const screenshot = new File(
      [Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('IHDR')])],
      'screenshot.png',
    );
    page = await visitor.submit({ file: screenshot }, page.html);
    // On a right-to-left page the file name is isolated, so its full stop stays where it belongs.
    expect(page.html).toContain('📎 <bdi>screenshot.png</bdi>');
    page = await visitor.submit({ choice: 'done' }, page.html);
    page = await visitor.submit({ choice: 'confirm' }, page.html);
    page = await visitor.submit({ choice: 'yes' }, page.html);
    page = await visitor.submit({ choice: 'no' }, page.html);
    expect(page.html).toContain('حُفظ بلاغك.');
    const reference = /RL-[0-9A-Z]{4}-[0-9A-Z]{4}/.exec(page.html)?.[0];
    const stored = await portal.intake.reports.getReport(reference!);
    expect(stored?.report).toMatchObject({
      channel: 'webchat',
      language: 'ar',
      incident: { category: 'investment_crypto' },
    });
    expect(stored?.report.evidence).toHaveLength(1);
    expect(stored?.report.losses.payments).toEqual([{ amount: 2000, currency: 'USDT' }]);
  });

  it('refuses a post without the form token, keeping what was typed', async () => {
    const visitor = browser('en');
    const page = await visitor.open();
    const refused = await visitor.submit({ message: 'They took my passport' }, page.html, 'forged');
    expect(refused.response.status).toBe(400);
    expect(refused.html).toContain('This page was open too long.');
    expect(refused.html).toContain('They took my passport</textarea>');
  });

  it('shows what a reporter typed as text, never as HTML', async () => {
    const visitor = browser('en');
    let page = await visitor.open();
    page = await visitor.submit({ choice: 'en' }, page.html);
    page = await visitor.submit({ choice: 'safe' }, page.html);
    page = await visitor.submit({ message: '<script>alert(1)</script><img src=x onerror=alert(2)>' }, page.html);
    expect(page.html).not.toContain('<script>alert(1)</script>');
    expect(page.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('limits how fast one session can post', async () => {
    const visitor = browser('en');
    let page = await visitor.open();
    let limited = false;
    for (let i = 0; i < 40 && !limited; i += 1) {
      page = await visitor.submit({ command: 'help' }, page.html);
      limited = page.html.includes('Too many messages in a short time.');
    }
    expect(limited).toBe(true);
  });
});
