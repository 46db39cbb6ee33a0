import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completeReport } from '../support/fixtures.js';
import { messageKeys } from '../support/page-messages.js';
import { browserFor, createPublicPortal } from '../support/public-portal.js';
import { createTestDatabase, type TestDatabase } from '../support/test-databases.js';
import { testI18n } from '../support/test-portal.js';

describe('the landing page', () => {
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

  it('speaks the visitor’s language, lists every language in its own script, and is right to left in Arabic', async () => {
    const { response, html } = await browserFor(portal.app, 'km-KH,km;q=0.9').open('/');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(html).toContain('lang="km"');
    for (const name of [
      'English',
      '한국어',
      'ไทย',
      'ខ្មែរ',
      'ລາວ',
      'Tiếng Việt',
      '简体中文',
      '日本語',
      'Bahasa Indonesia',
      'Bahasa Melayu',
      'Filipino',
      'العربية',
      'မြန်မာ',
    ]) {
      expect(html).toContain(`>${name}</a>`);
    }
    const arabic = await browserFor(portal.app, 'en').open('/?lang=ar');
    expect(arabic.html).toContain('<html lang="ar" dir="rtl">');
    // The language cookie is a session cookie (the landing page's check box also has its form's session cookie).
    expect(arabic.response.headers.getSetCookie().filter((cookie) => cookie.startsWith('rl_lang='))).toEqual([
      'rl_lang=ar; Path=/; HttpOnly; SameSite=Lax',
    ]);
  });

  it('shows the emergency numbers of the country the visitor chooses, posted, never in the address', async () => {
    const visitor = browserFor(portal.app, 'th');
    const landing = await visitor.open('/');
    expect(landing.html).toContain('<form method="post" action="/?lang=th" autocomplete="off">');
    const { html, response } = await visitor.post('/?lang=th', { country: 'TH' });
    expect(response.status).toBe(200);
    expect(html).toContain('<a href="tel:191">191</a>');
    expect(html).toContain('<a href="tel:1441">1441</a>');
    expect(html).toContain('<option value="TH" selected="">ไทย</option>');
  });

  it('keeps the language chosen for the rest of the visit (a session cookie), over the browser’s own', async () => {
    const visitor = browserFor(portal.app, 'en');
    await visitor.open('/?lang=vi');
    expect((await visitor.open('/')).html).toContain('lang="vi"');
  });

  it('serves its only style sheet and script itself', async () => {
    const css = await portal.app.request('/assets/site.css');
    expect(css.headers.get('content-type')).toContain('text/css');
    const script = await (await portal.app.request('/assets/quick-exit.js')).text();
    expect(script).toContain('location.replace');
    const { html } = await browserFor(portal.app, 'en').open('/');
    expect(html).not.toMatch(/https?:\/\/(?!www\.bbc\.com\/weather)[^"]+\.(js|css)/);
  });
});

describe('the status page', () => {
  let database: TestDatabase;
  let portal: Awaited<ReturnType<typeof createPublicPortal>>;
  const clock = 1_800_000_000_000;
  let reference: string;
  let receiptCode: string;
  let reportId: string;

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    portal = await createPublicPortal(database, { now: () => new Date(clock) });
    ({ reference, receiptCode, reportId } = await portal.intake.reports.submitReport(
      { ...completeReport(), language: 'ko' },
      { actor: 'test' },
    ));
    await portal.intake.followups.postMessageToReporter(reportId, {
      body: '경찰에 전달했습니다. 대사관에도 알렸어요.',
      author: 'user:staff-1',
    });
  });
  afterAll(async () => {
    await portal?.dispose();
    await database?.dispose();
  });

  it('opens a report with its reference and receipt code, shows staff messages, and takes an addition', async () => {
    const reporter = browserFor(portal.app, 'ko');
    const form = await reporter.open('/status');
    const opened = await reporter.post('/status', {
      token: reporter.token(form.html),
      reference: reference.toLowerCase(),
      code: receiptCode.replace(/-/g, ' '),
    });
    expect(opened.html).toContain('lang="ko"');
    expect(opened.html).toContain('경찰에 전달했습니다. 대사관에도 알렸어요.');
    expect(opened.html).toContain(reference);
    const added = await reporter.post('/status/add', {
      token: reporter.token(opened.html),
      text: '새 번호로 또 연락이 왔어요: +855 97 123 4567',
    });
    expect(messageKeys(added.html)).toContain('status.added');
    expect((await portal.intake.followups.listAdditions(reportId)).at(-1)).toMatchObject({
      text: '새 번호로 또 연락이 왔어요: +855 97 123 4567',
      channel: 'web',
    });
  });

  it('gives one answer to a wrong pair, whichever part was wrong, and keeps the typed reference', async () => {
    const visitor = browserFor(portal.app, 'en');
    const form = await visitor.open('/status');
    const wrongCode = await visitor.post('/status', {
      token: visitor.token(form.html),
      reference,
      code: 'AAAA-BBBB-CCCC',
    });
    const wrongReference = await visitor.post('/status', {
      token: visitor.token(form.html),
      reference: 'RL-0000-0000',
      code: receiptCode,
    });
    expect(wrongCode.response.status).toBe(400);
    expect(messageKeys(wrongCode.html)).toEqual(['status.notFound']);
    expect(messageKeys(wrongReference.html)).toEqual(['status.notFound']);
    expect(wrongCode.html).toContain(`value="${reference}"`);
  });

  it('refuses a post without the form token, and opens nothing without the checked pair', async () => {
    const visitor = browserFor(portal.app, 'en');
    await visitor.open('/status');
    expect(
      messageKeys((await visitor.post('/status', { token: 'forged', reference, code: receiptCode })).html),
    ).toContain('errors.formExpired');
    expect((await portal.app.request('/status/report')).status).toBe(303);
    expect(
      (
        await portal.app.request('/status/report', {
          headers: { cookie: `rl_status=${reportId}.9999999999999.forged` },
        })
      ).status,
    ).toBe(303);
  });
});

describe('a page that does not exist', () => {
  it('says so in the visitor’s language', async () => {
    const database = await createTestDatabase('sqlite');
    const portal = await createPublicPortal(database);
    try {
      const response = await portal.app.request('/nowhere', { headers: { 'accept-language': 'vi' } });
      expect(response.status).toBe(404);
      expect(await response.text()).toBe(testI18n.getFixedT('vi', 'common')('notFound'));
    } finally {
      await portal.dispose();
      await database.dispose();
    }
  });
});
