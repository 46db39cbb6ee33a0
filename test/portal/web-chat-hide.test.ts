import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConversationStore } from '../../intake/store/conversation-store.js';
import { createPublicPortal } from '../support/public-portal.js';
import { createTestDatabase, type TestDatabase } from '../support/test-databases.js';

/**
 * Hiding the web chat ends it on the server, as the quick exit does: a copy of
 * the chat's cookie made before hiding opens nothing of it afterwards.
 */
describe('hiding the web chat ends it on the server too', () => {
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

  /** A browser that keeps the chat cookie; `as(cookie)` is someone else replaying a copy of it. */
  function browser(language: string) {
    let cookie = '';
    const open = async () => {
      const response = await portal.app.request('/chat', { headers: { cookie, 'accept-language': language } });
      const set = response.headers.get('set-cookie');
      if (set) cookie = set.split(';')[0]!;
      return response.text();
    };
    const button = (html: string, answer: string) =>
      [...html.matchAll(/name="choice" value="([^"]+)"/g)]
        .map((match) => match[1]!)
        .find((value) => value === answer || value.endsWith(`|${answer}`)) ?? answer;
    const post = async (fields: Record<string, string>, html: string) => {
      const form = new FormData();
      form.set('token', /name="token" value="([^"]+)"/.exec(html)![1]!);
      for (const [name, value] of Object.entries(fields))
        form.set(name, name === 'choice' ? button(html, value) : value);
      const response = await portal.app.request('/chat', { method: 'POST', body: form, headers: { cookie } });
      return response;
    };
    const answer = async (fields: Record<string, string>, html: string) => {
      await post(fields, html);
      return open();
    };
    return {
      open,
      post,
      answer,
      cookie: () => cookie,
      session: () => cookie.replace(/^rl_chat=/, ''),
      as: (copied: string) => {
        cookie = copied;
      },
    };
  }

  const conversations = () => new ConversationStore({ db: portal.intake.db, cipher: portal.intake.cipher });

  it('a chat that sent nothing is deleted with its transcript; a copied cookie opens an empty chat (Vietnamese)', async () => {
    const visitor = browser('vi');
    let html = await visitor.open();
    html = await visitor.answer({ choice: 'vi' }, html);
    html = await visitor.answer({ choice: 'safe' }, html);
    const story = 'Họ giữ hộ chiếu của tôi ở văn phòng.';
    html = await visitor.answer({ message: story }, html);
    expect(html).toContain(story);
    const copied = visitor.cookie();
    const session = visitor.session();
    expect(await conversations().load('webchat', session)).toBeDefined();

    const hidden = await visitor.post({ command: 'hide' }, html);
    expect(hidden.status).toBe(303);
    expect(await conversations().load('webchat', session)).toBeUndefined();
    // Someone who copied the cookie before the chat was hidden opens an empty chat.
    visitor.as(copied);
    const replayed = await visitor.open();
    expect(replayed).not.toContain(story);
    expect(replayed).toMatch(/name="choice" value="(\w+\|)?vi"/);
  });

  it('typing /hide after a report was sent keeps the report, deletes the transcript and stops the chat (Arabic)', async () => {
    const visitor = browser('ar');
    let html = await visitor.open();
    html = await visitor.answer({ choice: 'ar' }, html);
    html = await visitor.answer({ choice: 'safe' }, html);
    const story = 'احتالوا عليّ في تطبيق استثمار وأرسلت 2,000 USDT';
    html = await visitor.answer({ message: story }, html);
    html = await visitor.answer({ choice: 'yes' }, html);
    html = await visitor.answer({ choice: 'investment_crypto' }, html);
    for (let i = 0; i < 8 && !html.includes('value="done"') && !html.includes('|done"'); i += 1)
      html = await visitor.answer({ command: 'skip' }, html);
    html = await visitor.answer({ choice: 'done' }, html);
    html = await visitor.answer({ choice: 'confirm' }, html);
    html = await visitor.answer({ choice: 'yes' }, html);
    html = await visitor.answer({ choice: 'no' }, html);
    const reference = /RL-[0-9A-Z]{4}-[0-9A-Z]{4}/.exec(html)?.[0];
    expect(reference).toBeDefined();
    const copied = visitor.cookie();
    const session = visitor.session();

    expect((await visitor.post({ message: '/hide' }, html)).status).toBe(303);
    expect(await portal.intake.reports.getReport(reference!)).toBeDefined();
    expect(await conversations().load('webchat', session)).toBeUndefined();
    const row = await portal.intake.db
      .selectFrom('conversations')
      .innerJoin('reports', 'reports.id', 'conversations.report_id')
      .select(['conversations.status'])
      .where('reports.reference', '=', reference!)
      .executeTakeFirst();
    expect(row?.status).toBe('stopped');
    visitor.as(copied);
    const replayed = await visitor.open();
    expect(replayed).not.toContain(reference!);
    expect(replayed).not.toContain('2,000 USDT');
  });
});
