import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsoleHarness } from '../support/console-harness.js';
import { openHarnessOn } from '../support/harness-on-database.js';
import { browserFor } from '../support/public-portal.js';

/**
 * Written before the fix, from what an attacker-minded tester saw: a chunked
 * 2 MiB form step passed the 256 KiB limit for text; 300,000 empty parts were
 * accepted; a 1 MiB web chat message was taken; unterminated multipart and a
 * raw `"` in a file name answered 500 on every public form; a file was
 * stored before the form token was checked.
 */
const boundary = 'reportline-test-boundary';
const multipart = (parts: Array<{ name: string; value: string; fileName?: string }>, end = true) =>
  parts
    .map(
      (part) =>
        `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"${part.fileName !== undefined ? `; filename="${part.fileName}"` : ''}\r\n` +
        `${part.fileName !== undefined ? 'Content-Type: image/png\r\n' : ''}\r\n${part.value}\r\n`,
    )
    .join('') + (end ? `--${boundary}--\r\n` : '');

/** A body sent in chunks with no Content-Length, as `Transfer-Encoding: chunked` does. */
function chunked(text: string): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.subarray(offset, offset + 64 * 1024));
      offset += 64 * 1024;
    },
  });
}

describe('every body has a limit before it is read, and a malformed one is a 4xx', () => {
  let harness: ConsoleHarness;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ harness, close } = await openHarnessOn('sqlite', { REPORTLINE_PUBLIC_WRITES_PER_HOUR: '10000' }));
  });
  afterAll(async () => close?.());

  const cookieOf = (browser: ReturnType<typeof browserFor>) =>
    [...browser.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  const post = (path: string, body: BodyInit, cookie = '', contentType = `multipart/form-data; boundary=${boundary}`) =>
    harness.app.request(path, {
      method: 'POST',
      body,
      headers: { 'content-type': contentType, cookie },
      ...(body instanceof ReadableStream ? { duplex: 'half' } : {}),
    } as RequestInit);

  it('cuts a chunked form step at the text limit, and keeps the draft as it was', async () => {
    const reporter = browserFor(harness.app, 'en');
    const page = await reporter.open('/report/incident');
    const token = reporter.token(page.html);
    const saved = await reporter.submit(page, '/report/incident', {
      'incident.narrative': 'They took my money',
      action: 'next',
    });
    expect(saved.response.status).toBe(200);
    const drafts = await harness.services.db.selectFrom('report_drafts').select(['id', 'updated_at']).execute();
    const body = multipart([
      { name: 'token', value: token },
      { name: 'incident.narrative', value: 'x'.repeat(2 * 1024 * 1024) },
      { name: 'action', value: 'next' },
    ]);
    const response = await post('/report/incident', chunked(body), cookieOf(reporter));
    expect(response.status).toBe(413);
    expect(await response.text()).toContain('They took my money');
    expect(await harness.services.db.selectFrom('report_drafts').select(['id', 'updated_at']).execute()).toEqual(
      drafts,
    );
  });

  it('takes a long story as a browser sends it (URL-encoded, in Burmese) and says it is too long, keeping it', async () => {
    // 30,000 Burmese characters are 90 KB of UTF-8, under the 100 KiB a field may hold, and 270 KB once the browser
    // percent-encodes each byte as three characters: the 256 KiB body limit refused it with a message about files,
    // and the page came back empty.
    const reporter = browserFor(harness.app, 'my');
    const page = await reporter.open('/report/incident');
    const story = 'ကျွန်တော့်ကိုပိတ်ထားတယ်'.repeat(1400).slice(0, 30_000);
    const body = new URLSearchParams({ token: reporter.token(page.html), 'incident.narrative': story, action: 'next' });
    expect(body.toString().length).toBeGreaterThan(256 * 1024);
    const response = await post(
      '/report/incident',
      body.toString(),
      cookieOf(reporter),
      'application/x-www-form-urlencoded',
    );
    expect(response.status).toBe(400);
    const html = await response.text();
    // The step's own translated error for a story over 20,000 characters, and the story still in the box.
    expect(html).toContain('20000');
    expect(html).toContain(story.slice(0, 2_000));
  });

  it('refuses more parts than a form has, before reading them all', async () => {
    const reporter = browserFor(harness.app, 'en');
    const page = await reporter.open('/report/incident');
    const token = reporter.token(page.html);
    const many = multipart([
      { name: 'token', value: token },
      ...Array.from({ length: 2_000 }, () => ({ name: 'x', value: '' })),
    ]);
    expect(many.length).toBeLessThan(256 * 1024);
    expect((await post('/report/incident', many, cookieOf(reporter))).status).toBe(400);
    const flood = multipart(Array.from({ length: 300_000 }, () => ({ name: '', value: '' })));
    // Refused at the part count or at the size, whichever comes first, and nothing stalls.
    expect([400, 413]).toContain((await post('/report/incident', chunked(flood), cookieOf(reporter))).status);
    expect((await harness.app.request('/healthz')).status).toBe(200);
  });

  it('answers a cut-off body or a raw quote in a file name with a 4xx on every public form, never a 500', async () => {
    const reporter = browserFor(harness.app, 'en');
    await reporter.open('/report/incident');
    await reporter.open('/chat');
    await reporter.open('/status');
    const cookie = cookieOf(reporter);
    const unterminated = multipart(
      [
        { name: 'token', value: 'x' },
        { name: 'message', value: 'hello' },
      ],
      false,
    ).slice(0, -5);
    const quoted = `--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="a"b.png"\r\nContent-Type: image/png\r\n\r\n\x89PNG\r\n\x1a\n\r\n--${boundary}--\r\n`;
    const badBoundary = `--other\r\nContent-Disposition: form-data; name="x"\r\n\r\ny\r\n--other--\r\n`;
    for (const path of [
      '/report/incident',
      '/report/evidence',
      '/report/resume',
      '/report/submit',
      '/status',
      '/status/add',
      '/chat',
      '/staff/login',
    ]) {
      for (const body of [unterminated, quoted, badBoundary]) {
        const response = await post(path, body, cookie);
        expect(response.status, `${path}`).toBeGreaterThanOrEqual(300);
        expect(response.status, `${path}`).toBeLessThan(500);
      }
      const notForm = await post(path, 'hello', cookie, 'multipart/form-data');
      expect(notForm.status, `${path} without a boundary`).toBeLessThan(500);
    }
  });

  it('caps a web chat message, keeping the conversation as it was', async () => {
    const reporter = browserFor(harness.app, 'en');
    const page = await reporter.open('/chat');
    const started = await reporter.submit(page, '/chat', { choice: 'en' });
    expect(started.response.status).toBe(200);
    const before = await harness.services.db
      .selectFrom('conversations')
      .select(['id', 'version'])
      .where('channel', '=', 'webchat')
      .execute();
    const tooLong = await reporter.submit(started, '/chat', { message: 'help '.repeat(200_000) });
    expect(tooLong.response.status).toBe(400);
    expect(tooLong.html).toContain('5000');
    expect(
      await harness.services.db
        .selectFrom('conversations')
        .select(['id', 'version'])
        .where('channel', '=', 'webchat')
        .execute(),
    ).toEqual(before);
  });

  it('drops a file cut off by the body limit, answering at once and leaving no partial file', async () => {
    const { readdirSync, existsSync } = await import('node:fs');
    const { join } = await import('node:path');
    const reporter = browserFor(harness.app, 'en');
    const page = await reporter.open('/chat');
    const token = reporter.token(page.html);
    const huge = '\x89PNG\r\n\x1a\n' + 'p'.repeat(harness.services.config.evidenceMaxBytes + 512 * 1024);
    const response = await post(
      '/chat',
      chunked(
        multipart([
          { name: 'token', value: token },
          { name: 'file', value: huge, fileName: 'big.png' },
        ]),
      ),
      cookieOf(reporter),
    );
    expect(response.status).toBe(400);
    const incoming = join(harness.services.config.dataDir, 'evidence', 'incoming');
    // The writer drops its temporary file once the cut-off reaches it.
    await expect.poll(() => (existsSync(incoming) ? readdirSync(incoming) : [])).toEqual([]);
  });

  it('takes exactly as many files as a form has room for, not one more', async () => {
    const reporter = browserFor(harness.app, 'en');
    const page = await reporter.open('/chat');
    const token = reporter.token(page.html);
    const png = '\x89PNG\r\n\x1a\n a screenshot';
    const one = multipart([
      { name: 'token', value: token },
      { name: 'file', value: png, fileName: 'a.png' },
    ]);
    expect((await post('/chat', one, cookieOf(reporter))).status).toBe(303);
    const two = multipart([
      { name: 'token', value: token },
      { name: 'file', value: png, fileName: 'a.png' },
      { name: 'file', value: `${png}2`, fileName: 'b.png' },
    ]);
    expect((await post('/chat', two, cookieOf(reporter))).status).toBe(400);
  });

  it('checks the form token before any file is stored', async () => {
    const reporter = browserFor(harness.app, 'en');
    await reporter.open('/report/evidence');
    const png = '\x89PNG\r\n\x1a\n a screenshot';
    const { readdirSync, existsSync } = await import('node:fs');
    const { join } = await import('node:path');
    const folder = join(harness.services.config.dataDir, 'evidence');
    const filesBefore = existsSync(folder) ? readdirSync(folder, { recursive: true }).length : 0;
    const forged = multipart([
      { name: 'token', value: 'forged' },
      { name: 'files', value: png, fileName: 'chat.png' },
    ]);
    const response = await post('/report/evidence', forged, cookieOf(reporter));
    expect(response.status).toBe(400);
    expect(existsSync(folder) ? readdirSync(folder, { recursive: true }).length : 0).toBe(filesBefore);
  });
});
