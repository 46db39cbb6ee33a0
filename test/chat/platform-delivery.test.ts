import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConversationOutput } from '../../intake/conversation/conversation-types.js';
import { ConversationStore } from '../../intake/store/conversation-store.js';
import type { TelegramFailure } from '../support/fake-telegram-api.js';
import type { LineFailure } from '../support/fake-line-api.js';
import { createLineHarness } from '../support/line-harness.js';
import { createTelegramHarness } from '../support/telegram-harness.js';
import { createTestDatabase, type TestDatabase } from '../support/test-databases.js';

/**
 * Every reply arrives, in order, once: a turn of several messages is sent
 * through the chat outbox while the platform fails one message of it, at
 * every position in turn, in every way it fails (429 with retry_after, 500, a
 * dropped connection).
 */

const telegramFailures: Array<[string, TelegramFailure]> = [
  ['429 with retry_after', { code: 429, description: 'Too Many Requests: retry after 7', retryAfter: 7 }],
  ['500', { code: 500, description: 'Internal Server Error' }],
  ['a dropped connection', { drop: true }],
];

const lineFailures: Array<[string, LineFailure]> = [
  ['429 with Retry-After', { status: 429, message: 'Too many requests', retryAfter: 7 }],
  ['500', { status: 500, message: 'Internal server error' }],
  ['a dropped connection', { drop: true }],
];

/** Seven numbered lines: more than one LINE request (five messages each), several Telegram messages. */
const turn = (language: string): ConversationOutput[] =>
  Array.from({ length: 7 }, (_, index) => ({ type: 'text', key: 'hidden', params: { n: `${language}-${index}` } }));

describe('Telegram: a turn’s messages all arrive, in order, whatever message of it fails', () => {
  let database: TestDatabase;
  let harness: Awaited<ReturnType<typeof createTelegramHarness>>;
  let chat = 8_300_000;
  let update = 830_000;

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    harness = await createTelegramHarness(database);
  });
  afterAll(async () => {
    await harness?.close();
    await database?.dispose();
  });

  /** A person who wrote once (so their conversation exists), and a seven-message turn queued for them. */
  async function queueTurn(language: string) {
    chat += 1;
    update += 1;
    const from = { id: chat, is_bot: false, first_name: 'T', language_code: language };
    await harness.post({
      update_id: update,
      message: { message_id: 1, from, chat: { id: chat, type: 'private' }, date: 1_763_800_000, text: 'hello' },
    });
    const store = new ConversationStore({ db: harness.intake.db, cipher: harness.intake.cipher });
    const conversation = (await store.load('telegram', String(chat)))!;
    const messages = harness.channel
      .render(turn(language), language as 'my', {})
      .map((message, index) => ({ ...message, text: `${language} line ${index + 1}` }));
    await harness.intake.db.transaction().execute(async (trx) => {
      await harness.outbox.enqueue(trx, { conversationId: conversation.id, channel: 'telegram', messages });
    });
    return { chat, expected: messages.map((message) => message.text) };
  }

  for (const [name, failure] of telegramFailures)
    for (const position of [0, 1, 2, 3, 4, 5, 6])
      it(`after ${name} at message ${position + 1}`, async () => {
        const { chat: id, expected } = await queueTurn(['my', 'vi', 'lo', 'km', 'ar'][position % 5]!);
        harness.api.failAfter('sendMessage', position, failure);
        await harness.flush();
        const shown = harness.api.delivered.filter((message) => message.chatId === id).map((message) => message.text);
        // The hello's own answer came first; then the turn, whole and in order, each line once.
        expect(shown.slice(-expected.length)).toEqual(expected);
        expect(shown.filter((text) => expected.includes(text))).toEqual(expected);
      });

  it('stays within 30 messages a second for the whole bot, across many chats at once', async () => {
    const start = harness.api.delivered.length;
    const queued = await Promise.all(['my', 'vi', 'lo', 'km', 'ar', 'my', 'vi', 'lo', 'km', 'ar'].map(queueTurn));
    await harness.flush();
    const sent = harness.api.delivered.slice(start);
    expect(sent.length).toBeGreaterThanOrEqual(queued.length * 7);
    // In no second did Telegram see more than 30 of them.
    const times = sent.map((message) => message.at).sort((a, b) => a - b);
    const busiest = Math.max(...times.map((at, index) => times.slice(index).filter((t) => t - at < 1000).length));
    expect(busiest).toBeLessThanOrEqual(30);
  });
});

describe('LINE: a turn’s messages all arrive, in order, whatever request of it fails', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
  });
  afterAll(async () => {
    await database?.dispose();
  });

  for (const [name, failure] of lineFailures)
    for (const position of [0, 1])
      it(`after ${name} on request ${position + 1} (${position === 0 ? 'the reply' : 'a push'})`, async () => {
        const harness = await createLineHarness(database);
        try {
          await harness.deliver([
            harness.event({
              type: 'follow',
              follow: { isUnblocked: false },
              webhookEventId: `01HDELIVERY${name}${position}`,
            }),
          ]);
          const store = new ConversationStore({ db: harness.intake.db, cipher: harness.intake.cipher });
          const conversation = (await store.load('line', harness.userId))!;
          const token = `reply-turn-${position}`;
          harness.api.issueReplyToken(token);
          let line = 0;
          const requests = (
            harness.line.channel.render(turn('vi'), 'vi', {
              replyToken: { token, validUntil: new Date(Date.now() + 50_000) },
            }) as Array<{ kind: string; messages: Array<{ type: string; text: string }> }>
          ).map((request) => ({
            ...request,
            messages: request.messages.map((message) => ({ ...message, text: `vi line ${(line += 1)}` })),
          }));
          expect(requests).toHaveLength(2);
          const before = harness.api.delivered.length;
          await harness.intake.db.transaction().execute(async (trx) => {
            await harness.outbox.enqueue(trx, { conversationId: conversation.id, channel: 'line', messages: requests });
          });
          harness.api.failAfter(position === 0 ? '/v2/bot/message/reply' : '/v2/bot/message/push', 0, failure);
          await harness.flush();
          const shown = harness.api.delivered.slice(before).map((item) => item.message.text);
          expect(shown).toEqual(Array.from({ length: 7 }, (_, index) => `vi line ${index + 1}`));
        } finally {
          await harness.close();
        }
      });

  it('shows a push LINE took but whose answer was lost once, by its retry key', async () => {
    const harness = await createLineHarness(database);
    try {
      await harness.deliver([
        harness.event({ type: 'follow', follow: { isUnblocked: false }, webhookEventId: '01HDELIVERYRETRYKEY' }),
      ]);
      // Past the reply token: the next turn goes by push, and LINE takes it but the answer never comes back.
      harness.api.failNext('/v2/bot/message/push', { dropAfterTaking: true });
      const before = harness.api.delivered.length;
      await harness.deliver([
        harness.event({
          type: 'message',
          replyToken: undefined,
          message: { id: '9001', type: 'text', text: '/help', quoteToken: 'q' },
        }),
      ]);
      await harness.flush();
      const pushes = harness.api.callsTo('/v2/bot/message/push');
      expect(pushes.length).toBeGreaterThanOrEqual(2);
      const keys = pushes.map((call) => call.headers['x-line-retry-key']);
      expect(keys[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(keys[1]).toBe(keys[0]);
      const shown = harness.api.delivered.slice(before).map((item) => item.message.text);
      expect(new Set(shown).size).toBe(shown.length);
    } finally {
      await harness.close();
    }
  });
});
