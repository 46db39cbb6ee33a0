import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { assembleMessenger } from '../../app/assemble-messenger.js';
import { createLineHarness } from '../support/line-harness.js';
import { createTelegramHarness } from '../support/telegram-harness.js';
import {
  createTestDatabase,
  testDatabaseKinds,
  warnIfPostgresSkipped,
  type TestDatabase,
} from '../support/test-databases.js';

warnIfPostgresSkipped();

describe.each(testDatabaseKinds)('the chat outbox on %s', (kind) => {
  let database: TestDatabase;
  let telegram: Awaited<ReturnType<typeof createTelegramHarness>>;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
  });
  afterEach(async () => {
    await telegram?.close();
    await forgetChats();
  });
  afterAll(async () => database?.dispose());

  /** Each test is a new person to the bot: every harness numbers its updates from the same start. */
  async function forgetChats() {
    await database.db.deleteFrom('chat_outbox').execute();
    await database.db.deleteFrom('conversations').execute();
    await database.db.deleteFrom('processed_updates').execute();
  }

  /** The answer to /start of a person who never failed a send: what every other run must deliver too. */
  async function expectedStart(): Promise<string[]> {
    telegram = await createTelegramHarness(database);
    await telegram.text('/start');
    const texts = telegram.sentTexts();
    await telegram.close();
    await forgetChats();
    return texts;
  }

  it('answers 200 whatever the Bot API does, and delivers a turn through 500, a dropped connection and 429, in order, once', async () => {
    const expected = await expectedStart();
    telegram = await createTelegramHarness(database);
    telegram.api.failNext('sendMessage', { code: 500, description: 'Internal Server Error' });
    telegram.api.failNext('sendMessage', { drop: true });
    telegram.api.failNext('sendMessage', { code: 429, description: 'Too Many Requests: retry after 5', retryAfter: 5 });
    expect((await telegram.text('/start')).status).toBe(200);
    const head = await database.db
      .selectFrom('chat_outbox')
      .select(['attempts', 'last_error', 'status'])
      .orderBy('seq')
      .executeTakeFirstOrThrow();
    expect(head.status).toBe('pending');
    await telegram.flush();
    expect(telegram.sentTexts()).toEqual(expected);
    const rows = await database.db.selectFrom('chat_outbox').select(['status', 'attempts']).orderBy('seq').execute();
    expect(rows.map((row) => row.status)).toEqual(expected.map(() => 'sent'));
    // The first message took four tries (500, dropped, 429, taken); the others one each.
    expect(rows.map((row) => row.attempts)).toEqual([4, ...expected.slice(1).map(() => 1)]);
  });

  it('stops a chat whose person blocked the bot: the conversation is stopped and nothing after the refusal is sent', async () => {
    telegram = await createTelegramHarness(database);
    telegram.api.failNext('sendMessage', { code: 403, description: 'Forbidden: bot was blocked by the user' });
    expect((await telegram.text('/start')).status).toBe(200);
    expect(telegram.sentTexts()).toEqual([]);
    const rows = await database.db.selectFrom('chat_outbox').select(['status', 'last_error']).orderBy('seq').execute();
    expect(rows.length).toBeGreaterThan(1);
    expect(rows).toEqual(rows.map(() => ({ status: 'stopped', last_error: 'telegram.blocked' })));
    const conversation = await database.db.selectFrom('conversations').select('status').executeTakeFirstOrThrow();
    expect(conversation.status).toBe('stopped');
  });

  it('records a permanent refusal as failed with its reason code and goes on with the next message', async () => {
    telegram = await createTelegramHarness(database);
    telegram.api.failNext('sendMessage', { code: 400, description: 'Bad Request: message is too long' });
    await telegram.text('/start');
    const rows = await database.db.selectFrom('chat_outbox').select(['status', 'last_error']).orderBy('seq').execute();
    expect(rows[0]).toEqual({ status: 'failed', last_error: 'telegram.message_too_long' });
    expect(rows.slice(1).every((row) => row.status === 'sent')).toBe(true);
    expect(telegram.sentTexts()).toHaveLength(rows.length - 1);
  });

  it('keeps each chat in order while serving several chats at once', async () => {
    telegram = await createTelegramHarness(database);
    const people = [7001, 7002, 7003];
    const post = (chatId: number, updateId: number, text: string) =>
      telegram.post({
        update_id: updateId,
        message: {
          message_id: updateId,
          from: { id: chatId, is_bot: false, first_name: 'P', language_code: 'th' },
          chat: { id: chatId, type: 'private' },
          date: 1_763_800_000,
          text,
        },
      });
    telegram.api.failNext('sendMessage', { code: 502, description: 'Bad Gateway' });
    await Promise.all(people.map((chatId, index) => post(chatId, 80_000 + index, '/start')));
    await Promise.all(people.map((chatId, index) => post(chatId, 81_000 + index, '/help')));
    await telegram.flush();
    for (const chatId of people) {
      // Taken in the order queued: the Bot API's message ids rise along each chat's sequence.
      const ids = telegram.api.delivered.filter((message) => message.chatId === chatId).map((m) => m.messageId);
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
    }
    const texts = people.map((chatId) =>
      telegram.api.delivered.filter((message) => message.chatId === chatId).map((message) => message.text),
    );
    // Every chat saw the same turn in the same order, once.
    expect(texts[1]).toEqual(texts[0]);
    expect(texts[2]).toEqual(texts[0]);
  });

  describe('staff messages', () => {
    async function reporterOfChat() {
      telegram = await createTelegramHarness(database);
      await telegram.text('/start');
      const { reportId } = await telegram.intake.reports.submitReport(
        { consent: { shareWithLawEnforcement: true, contactBack: true } },
        { actor: 'test' },
      );
      // The conversation that stored the report: as the runner records it when the report is submitted.
      await database.db.updateTable('conversations').set({ report_id: reportId }).execute();
      const messenger = assembleMessenger({
        intake: telegram.intake,
        outbox: telegram.outbox,
        channels: [telegram.channel],
        nudge: () => telegram.worker.nudge(),
      });
      return { reportId, messenger };
    }

    it('are stored and queued in the caller’s transaction: a rollback leaves neither', async () => {
      const { reportId, messenger } = await reporterOfChat();
      const before = await database.db.selectFrom('chat_outbox').select('id').execute();
      await expect(
        database.db.transaction().execute(async (trx) => {
          const sent = await messenger.send(reportId, 'Are you safe now?', 'user:1', { trx });
          expect(sent.chat).toBe('queued');
          throw new Error('the use case failed after the message');
        }),
      ).rejects.toThrow('the use case failed after the message');
      expect(await telegram.intake.followups.listMessagesForStaff(reportId)).toEqual([]);
      expect(await database.db.selectFrom('chat_outbox').select('id').execute()).toEqual(before);
    });

    it('go out after the turns before them, and their chat status follows the worker: queued, failed with a reason, sent on resend', async () => {
      const { reportId, messenger } = await reporterOfChat();
      const shownBefore = telegram.sentTexts().length;
      telegram.api.failNext('sendMessage', { code: 400, description: 'Bad Request: chat not found' });
      const first = await database.db
        .transaction()
        .execute((trx) => messenger.send(reportId, 'We received your report.', 'user:1', { trx }));
      expect(first.chat).toBe('queued');
      await telegram.flush();
      let stored = await telegram.intake.followups.getMessage(first.messageId);
      expect(stored).toMatchObject({ chatStatus: 'failed', chatError: 'telegram.chat_not_found' });

      expect(await messenger.resend(first.messageId)).toBe('queued');
      await telegram.flush();
      stored = await telegram.intake.followups.getMessage(first.messageId);
      expect(stored).toMatchObject({ chatStatus: 'sent', chatError: null });
      // After the chat's neutral first line (what a lock screen shows), the message as written.
      const { language } = await database.db
        .selectFrom('reports')
        .select('language')
        .where('id', '=', reportId)
        .executeTakeFirstOrThrow();
      expect(telegram.sentTexts().slice(shownBefore)).toEqual([
        `${telegram.intake.i18n.getFixedT(language, 'conversation')('newMessageFirstLine')}\n\nWe received your report.`,
      ]);
      // A resend of a message that did not fail does nothing.
      expect(await messenger.resend(first.messageId)).toBeUndefined();
    });

    it('never reach the chat of someone who did not agree to be contacted', async () => {
      const { reportId, messenger } = await reporterOfChat();
      await database.db.updateTable('reports').set({ consent_contact: 0 }).where('id', '=', reportId).execute();
      const sent = await messenger.send(reportId, 'Hello', 'user:1');
      expect(sent.chat).toBe('not_sent');
      expect(
        await database.db
          .selectFrom('chat_outbox')
          .select('id')
          .where('reporter_message_id', '=', sent.messageId)
          .execute(),
      ).toEqual([]);
    });
  });
});

describe.each(testDatabaseKinds)('the LINE side of the outbox on %s', (kind) => {
  let database: TestDatabase;
  // A database each: every harness numbers its webhook events from the same start.
  beforeEach(async () => {
    database = await createTestDatabase(kind);
  });
  afterEach(async () => database?.dispose());

  it('answers with the reply token while it is valid, five messages a request, and by push once it expired', async () => {
    const line = await createLineHarness(database);
    try {
      await line.follow();
      expect(line.api.callsTo('/v2/bot/message/reply')).toHaveLength(1);
      const requests = line.api.calls.filter((call) => call.path.startsWith('/v2/bot/message/'));
      expect(requests.every((call) => ((call.body?.messages as unknown[]) ?? []).length <= 5)).toBe(true);

      // The next event's token is expired at LINE: the worker falls back to push, with a retry key.
      const event = line.event({
        type: 'message',
        message: { id: '77', quoteToken: 'q', type: 'text', text: '/help' },
      });
      line.api.expireReplyToken(String(event.replyToken));
      const shownBefore = line.api.delivered.length;
      await line.deliver([event]);
      const after = line.api.delivered.slice(shownBefore);
      expect(after.length).toBeGreaterThan(0);
      expect(after.every((item) => item.via === 'push' && item.to === line.userId)).toBe(true);
      const pushes = line.api.callsTo('/v2/bot/message/push');
      expect(pushes.every((call) => typeof call.headers['x-line-retry-key'] === 'string')).toBe(true);
    } finally {
      await line.close();
    }
  });

  it('retries a push LINE answered 500 or dropped, and stops the chat on 403', async () => {
    const line = await createLineHarness(database);
    try {
      line.api.failNext('/v2/bot/message/reply', { status: 500, message: 'Internal Server Error' });
      line.api.failNext('/v2/bot/message/push', { drop: true });
      await line.follow();
      await line.flush();
      const rows = await database.db
        .selectFrom('chat_outbox as o')
        .innerJoin('conversations as c', 'c.id', 'o.conversation_id')
        .select(['o.status', 'o.attempts'])
        .where('c.channel', '=', 'line')
        .orderBy('o.created_at', 'desc')
        .orderBy('o.seq')
        .execute();
      expect(rows.every((row) => row.status === 'sent')).toBe(true);
      expect(line.shown().length).toBeGreaterThan(0);

      const shownBefore = line.api.delivered.length;
      line.api.failNext('/v2/bot/message/reply', { status: 403, message: 'Forbidden' });
      await line.text('/help');
      expect(line.api.delivered.length).toBe(shownBefore);
      const stopped = await database.db
        .selectFrom('chat_outbox')
        .select('last_error')
        .where('status', '=', 'stopped')
        .execute();
      expect(stopped.length).toBeGreaterThan(0);
      expect(stopped.every((row) => row.last_error === 'line.blocked')).toBe(true);
    } finally {
      await line.close();
    }
  });
});

describe('the fake platforms refuse what the real ones refuse', () => {
  it('Bot API: an empty text, a text over 4096 UTF-16 code units', async () => {
    const database = await createTestDatabase('sqlite');
    const telegram = await createTelegramHarness(database);
    try {
      const send = async (text: string) => {
        const response = await fetch(
          `${telegram.api.apiRoot}/bot7000000001:AAtest-token-for-the-fake-api/sendMessage`,
          {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ chat_id: 1, text }),
          },
        );
        return { status: response.status, body: (await response.json()) as { description?: string } };
      };
      expect(await send('')).toMatchObject({
        status: 400,
        body: { description: 'Bad Request: message text is empty' },
      });
      // 2049 emoji are 4098 UTF-16 code units.
      expect(await send('😀'.repeat(2049))).toMatchObject({
        status: 400,
        body: { description: 'Bad Request: message is too long' },
      });
      expect((await send('a'.repeat(4096))).status).toBe(200);
    } finally {
      await telegram.close();
      await database.dispose();
    }
  });

  it('LINE: more than five messages, a text over 5,000 characters, a used reply token, a repeated retry key', async () => {
    const database = await createTestDatabase('sqlite');
    const line = await createLineHarness(database);
    try {
      const call = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
        const response = await fetch(`${line.api.baseUrl}${path}`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            authorization: 'Bearer line-channel-access-token-for-tests',
            ...headers,
          },
          body: JSON.stringify(body),
        });
        return { status: response.status, body: (await response.json()) as { message?: string } };
      };
      const text = (value: string) => ({ type: 'text', text: value });
      expect(
        (await call('/v2/bot/message/push', { to: 'U1', messages: Array.from({ length: 6 }, () => text('a')) })).status,
      ).toBe(400);
      expect((await call('/v2/bot/message/push', { to: 'U1', messages: [text('a'.repeat(5001))] })).status).toBe(400);
      expect((await call('/v2/bot/message/push', { to: 'U1', messages: [text('')] })).status).toBe(400);
      expect((await call('/v2/bot/message/reply', { replyToken: 't1', messages: [text('a')] })).status).toBe(200);
      expect(await call('/v2/bot/message/reply', { replyToken: 't1', messages: [text('a')] })).toEqual({
        status: 400,
        body: { message: 'Invalid reply token' },
      });
      const key = { 'x-line-retry-key': '0190a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2b' };
      expect((await call('/v2/bot/message/push', { to: 'U1', messages: [text('a')] }, key)).status).toBe(200);
      expect((await call('/v2/bot/message/push', { to: 'U1', messages: [text('a')] }, key)).status).toBe(409);
    } finally {
      await line.close();
      await database.dispose();
    }
  });
});
