import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../app/config.js';
import { createPortal } from '../../app/create-portal.js';
import { silentLogger } from '../../app/logger.js';
import { openServices, type Services } from '../../app/open-services.js';
import { decodeChoiceData } from '../../intake/conversation/choice-data.js';
import { languages } from '../../intake/i18n/languages.js';
import { startFakeLineApi } from '../support/fake-line-api.js';
import { startFakeTelegramApi } from '../support/fake-telegram-api.js';
import { lineSignature } from '../support/line-harness.js';

/**
 * Correctly signed webhook calls whose bodies have the wrong shape: they are
 * answered 400 at the edge and reach neither the journal nor the bot, while
 * shapes a platform may add later (new event types, new update kinds) are
 * answered 200 and ignored. Reportline is assembled as `npm start` does it.
 */
const lineAccessToken = 'shapes-line-access-token-0123456789';
const lineSecret = '0123456789abcdef0123456789abcdef';
const botToken = '7000000003:AAshapes-test-token-0123456789';
const telegramSecret = 'shapes-webhook-secret-0123456789';

let folder: string;
let services: Services;
let app: ReturnType<typeof createPortal>;
let lineApi: Awaited<ReturnType<typeof startFakeLineApi>>;
let telegramApi: Awaited<ReturnType<typeof startFakeTelegramApi>>;

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'reportline-webhook-shapes-'));
  lineApi = await startFakeLineApi(lineAccessToken);
  telegramApi = await startFakeTelegramApi(botToken);
  const config = loadConfig({
    REPORTLINE_DATA_DIR: join(folder, 'data'),
    REPORTLINE_DATA_KEY: randomBytes(32).toString('hex'),
    LINE_CHANNEL_ACCESS_TOKEN: lineAccessToken,
    LINE_CHANNEL_SECRET: lineSecret,
    LINE_API_BASE_URL: lineApi.baseUrl,
    LINE_DATA_API_BASE_URL: lineApi.baseUrl,
    TELEGRAM_BOT_TOKEN: botToken,
    TELEGRAM_WEBHOOK_SECRET: telegramSecret,
    TELEGRAM_API_ROOT: telegramApi.apiRoot,
  });
  services = await openServices(config, silentLogger);
  app = createPortal(services, silentLogger);
  // Answers leave through the chat outbox, as in the server; a long poll, since every post below waits for it.
  services.chatWorker.start(60_000);
});

afterAll(async () => {
  await services?.close();
  await lineApi?.close();
  await telegramApi?.close();
  rmSync(folder, { recursive: true, force: true });
});

describe('the LINE webhook and bodies of the wrong shape', () => {
  let counter = 0;
  const userId = () => `U${randomBytes(16).toString('hex')}`;

  function event(fields: Record<string, unknown> = {}) {
    counter += 1;
    return {
      type: 'message',
      message: {
        id: String(600_000_000_000_000_000n + BigInt(counter)),
        quoteToken: 'q',
        type: 'text',
        text: 'โดนหลอกลงทุน',
      },
      webhookEventId: `01HSHAPES${String(counter).padStart(17, '0')}`,
      deliveryContext: { isRedelivery: false },
      // Sent just now: an old event's reply token has expired, and its answer would go by push.
      timestamp: Date.now(),
      source: { type: 'user', userId: userId() },
      replyToken: `shapes-reply-${counter}`,
      mode: 'active',
      ...fields,
    };
  }

  async function deliver(body: unknown) {
    const raw = typeof body === 'string' ? body : JSON.stringify(body);
    const response = await app.request('/webhooks/line', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-line-signature': lineSignature(raw, lineSecret) },
      body: raw,
    });
    // Whatever was recorded is worked off, and its answers sent, before the test looks.
    await services.line!.processPending();
    await services.chatWorker.idle();
    return response;
  }

  async function recorded(): Promise<number> {
    const row = await services.db
      .selectFrom('inbound_events')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }

  async function refusedAndNothingRecorded(body: unknown) {
    const before = await recorded();
    const replies = lineApi.callsTo('/v2/bot/message/reply').length;
    const response = await deliver(body);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ ok: false });
    expect(await recorded()).toBe(before);
    expect(lineApi.callsTo('/v2/bot/message/reply').length).toBe(replies);
  }

  const destination = 'U0123456789abcdef0123456789abcdef';

  it('refuses events that are not objects', async () => {
    await refusedAndNothingRecorded({ destination, events: [1, null] });
    await refusedAndNothingRecorded({ destination, events: ['message'] });
    await refusedAndNothingRecorded({ destination, events: [[]] });
  });

  it('refuses an event without its webhookEventId, or with one that is not a string', async () => {
    await refusedAndNothingRecorded({ destination, events: [without(event(), 'webhookEventId')] });
    await refusedAndNothingRecorded({ destination, events: [event({ webhookEventId: 42 })] });
    await refusedAndNothingRecorded({ destination, events: [event({ webhookEventId: '' })] });
  });

  it('refuses an event whose envelope fields have the wrong types', async () => {
    await refusedAndNothingRecorded({ destination, events: [event({ mode: 'sleeping' })] });
    await refusedAndNothingRecorded({ destination, events: [event({ timestamp: 'yesterday' })] });
    await refusedAndNothingRecorded({ destination, events: [event({ deliveryContext: { isRedelivery: 'no' } })] });
    await refusedAndNothingRecorded({ destination, events: [without(event(), 'deliveryContext')] });
    await refusedAndNothingRecorded({ destination, events: [event({ type: 7 })] });
  });

  it('refuses a text message whose text is not a string', async () => {
    const valid = event();
    await refusedAndNothingRecorded({
      destination,
      events: [{ ...valid, message: { ...valid.message, text: { toString: 'x' } } }],
    });
    await refusedAndNothingRecorded({
      destination,
      events: [{ ...valid, message: { ...valid.message, text: undefined } }],
    });
    await refusedAndNothingRecorded({ destination, events: [{ ...valid, message: 'hello' }] });
    await refusedAndNothingRecorded({ destination, events: [{ ...valid, message: { ...valid.message, id: 123 } }] });
  });

  it('refuses other message and postback fields the bot reads, of the wrong type', async () => {
    const base = event();
    const withMessage = (message: Record<string, unknown>) => ({
      ...event(),
      message: { id: '1', quoteToken: 'q', ...message },
    });
    await refusedAndNothingRecorded({
      destination,
      events: [withMessage({ type: 'location', latitude: '13.7', longitude: 100.5 })],
    });
    await refusedAndNothingRecorded({
      destination,
      events: [withMessage({ type: 'file', fileName: ['a.pdf'], fileSize: 10 })],
    });
    await refusedAndNothingRecorded({ destination, events: [{ ...base, type: 'postback', postback: { data: 1 } }] });
    await refusedAndNothingRecorded({ destination, events: [{ ...base, type: 'postback', postback: 'c:yes' }] });
  });

  it('refuses events that is not an array', async () => {
    await refusedAndNothingRecorded({ destination, events: { 0: event() } });
    await refusedAndNothingRecorded({ destination, events: 'all of them' });
    await refusedAndNothingRecorded({ destination });
    await refusedAndNothingRecorded([event()]);
    await refusedAndNothingRecorded('null');
  });

  it('refuses a user event without its source, or with a source of the wrong shape', async () => {
    await refusedAndNothingRecorded({ destination, events: [without(event(), 'source')] });
    await refusedAndNothingRecorded({ destination, events: [event({ source: 'U1' })] });
    await refusedAndNothingRecorded({ destination, events: [event({ source: { type: 'user', userId: 12 } })] });
    await refusedAndNothingRecorded({ destination, events: [event({ source: { type: 'group' } })] });
    await refusedAndNothingRecorded({ destination, events: [event({ source: { type: 'room', roomId: null } })] });
  });

  it('records none of a call with one bad event among good ones', async () => {
    await refusedAndNothingRecorded({ destination, events: [event(), event(), without(event(), 'webhookEventId')] });
  });

  it('answers 200 to LINE’s Verify call with no events', async () => {
    const before = await recorded();
    const response = await deliver({ destination, events: [] });
    expect(response.status).toBe(200);
    expect(await recorded()).toBe(before);
  });

  it('accepts event types, message types and fields LINE may add later', async () => {
    const replies = lineApi.callsTo('/v2/bot/message/reply').length;
    const before = await recorded();
    const response = await deliver({
      destination,
      events: [
        event({ type: 'somethingNew', message: undefined, somethingNew: { anything: [1, 2, 3] } }),
        event({ message: { id: '2', type: 'hologram', depth: 3 } }),
        // Module channel events come without a source.
        without(event({ type: 'botSuspended', message: undefined, replyToken: undefined }), 'source'),
        event({ source: { type: 'space', spaceId: 'S1' }, type: 'somethingElse', message: undefined }),
        event({ newEnvelopeField: { nested: true } }),
      ],
    });
    expect(response.status).toBe(200);
    expect(await recorded()).toBe(before + 5);
    // Only the last one is a text message from a person; the unknown message type is answered like an answer that does
    // not fit.
    expect(lineApi.callsTo('/v2/bot/message/reply').length).toBe(replies + 2);
  });

  it('still answers a valid text event with exactly one reply', async () => {
    const valid = event();
    const before = await recorded();
    const replies = lineApi.callsTo('/v2/bot/message/reply').length;
    const response = await deliver({ destination, events: [valid] });
    expect(response.status).toBe(200);
    expect(await recorded()).toBe(before + 1);
    const sent = lineApi.callsTo('/v2/bot/message/reply').slice(replies);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.body?.replyToken).toBe(valid.replyToken);
  });

  it('still checks the signature before looking at the body', async () => {
    const raw = JSON.stringify({ destination, events: [1, null] });
    const response = await app.request('/webhooks/line', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-line-signature': lineSignature(raw, 'ffffffffffffffffffffffffffffffff'),
      },
      body: raw,
    });
    expect(response.status).toBe(401);
  });
});

describe('the Telegram webhook and updates of the wrong shape', () => {
  let updateId = 70_000;
  let chatId = 7_770_000;

  function person() {
    chatId += 1;
    return {
      user: { id: chatId, is_bot: false, first_name: 'Ana', language_code: 'fil' },
      chat: { id: chatId, type: 'private', first_name: 'Ana' },
    };
  }

  function message(fields: Record<string, unknown> = {}) {
    updateId += 1;
    const { user, chat } = person();
    return {
      update_id: updateId,
      message: { message_id: updateId, from: user, chat, date: 1_763_800_000, text: 'Tulong, na-scam ako', ...fields },
    };
  }

  function callback(fields: Record<string, unknown> = {}) {
    updateId += 1;
    const { user, chat } = person();
    return {
      update_id: updateId,
      callback_query: {
        id: `cbq-${updateId}`,
        from: user,
        message: {
          message_id: 1,
          from: { id: 7_000_000_003, is_bot: true, first_name: 'Reportline' },
          chat,
          date: 1_763_800_000,
          text: '…',
        },
        chat_instance: '-1',
        data: 'c:en',
        ...fields,
      },
    };
  }

  async function post(update: unknown) {
    const response = await app.request('/webhooks/telegram', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': telegramSecret },
      body: typeof update === 'string' ? update : JSON.stringify(update),
    });
    // The turn's answers are sent by the chat outbox worker before the test looks.
    await services.chatWorker.idle();
    return response;
  }

  async function refusedAndNotHandled(update: unknown) {
    const calls = telegramApi.calls.length;
    const response = await post(update);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ ok: false });
    expect(telegramApi.calls.length).toBe(calls);
  }

  it('refuses a message whose text is not a string', async () => {
    await refusedAndNotHandled(message({ text: { length: 1 } }));
    await refusedAndNotHandled(message({ text: ['/start'] }));
    await refusedAndNotHandled(message({ text: null }));
  });

  it('refuses a message that is not an object', async () => {
    updateId += 1;
    await refusedAndNotHandled({ update_id: updateId, message: 'hello' });
    await refusedAndNotHandled({ update_id: updateId + 1, message: null });
    await refusedAndNotHandled({ update_id: updateId + 2, message: [] });
    updateId += 2;
  });

  it('refuses an update_id that is not an integer', async () => {
    await refusedAndNotHandled({ ...message(), update_id: '70001' });
    await refusedAndNotHandled({ ...message(), update_id: 1.5 });
    await refusedAndNotHandled(without(message(), 'update_id'));
    await refusedAndNotHandled([message()]);
    await refusedAndNotHandled('null');
  });

  it('refuses a callback query whose data or id is not a string', async () => {
    await refusedAndNotHandled(callback({ data: 5 }));
    await refusedAndNotHandled(callback({ id: 5 }));
    await refusedAndNotHandled(callback({ from: 'Ana' }));
    await refusedAndNotHandled(callback({ message: { message_id: 1, date: 0, chat: { id: '1', type: 'private' } } }));
  });

  it('refuses the message fields the bot reads, of the wrong shape', async () => {
    const { text: _text, ...noText } = message().message;
    const media = (fields: Record<string, unknown>) => {
      updateId += 1;
      return { update_id: updateId, message: { ...noText, message_id: updateId, ...fields } };
    };
    await refusedAndNotHandled(message({ chat: { id: '7770001', type: 'private' } }));
    await refusedAndNotHandled(message({ chat: undefined }));
    await refusedAndNotHandled(message({ from: 'Ana' }));
    await refusedAndNotHandled(
      message({ from: { id: 1, is_bot: false, first_name: 'Ana', language_code: { tag: 'fil' } } }),
    );
    await refusedAndNotHandled(message({ message_id: 'seven' }));
    await refusedAndNotHandled(media({ photo: { file_id: 'p' } }));
    await refusedAndNotHandled(media({ photo: [{ file_id: 7, file_unique_id: 'u', width: 1, height: 1 }] }));
    await refusedAndNotHandled(media({ document: { file_unique_id: 'u' } }));
    await refusedAndNotHandled(media({ document: { file_id: 'd', file_unique_id: 'u', file_name: 3 } }));
    await refusedAndNotHandled(
      media({ video: { file_id: 'v', file_unique_id: 'u', width: 1, height: 1, duration: 1, file_size: '9' } }),
    );
    await refusedAndNotHandled(media({ voice: 'voice-note' }));
    await refusedAndNotHandled(media({ location: { latitude: '14.6', longitude: 121 } }));
    await refusedAndNotHandled({ ...message(), edited_message: 'changed' });
  });

  it('answers 200 to update kinds it does not handle and hands nothing to the bot’s conversation', async () => {
    updateId += 1;
    const { user, chat } = person();
    const sent = telegramApi.callsOf('sendMessage').length;
    const response = await post({
      update_id: updateId,
      message_reaction: {
        chat,
        message_id: 5,
        user,
        date: 1_763_800_000,
        old_reaction: [],
        new_reaction: [{ type: 'emoji', emoji: '👍' }],
      },
    });
    expect(response.status).toBe(200);
    updateId += 1;
    expect((await post({ update_id: updateId, some_future_kind: { whatever: 1 } })).status).toBe(200);
    expect(telegramApi.callsOf('sendMessage').length).toBe(sent);
  });

  it('accepts fields Telegram may add later', async () => {
    const sent = telegramApi.callsOf('sendMessage').length;
    const response = await post({
      ...message({
        text: '/start',
        entities: [{ offset: 0, length: 6, type: 'bot_command' }],
        brand_new_field: { x: 1 },
      }),
      other_new_field: 1,
    });
    expect(response.status).toBe(200);
    expect(telegramApi.callsOf('sendMessage').length).toBeGreaterThan(sent);
  });

  it('still answers a valid /start with its reply', async () => {
    const update = message({ text: '/start', entities: [{ offset: 0, length: 6, type: 'bot_command' }] });
    const sent = telegramApi.callsOf('sendMessage').length;
    const response = await post(update);
    expect(response.status).toBe(200);
    const replies = telegramApi.callsOf('sendMessage').slice(sent);
    expect(replies.length).toBeGreaterThan(0);
    for (const reply of replies) expect(reply).toMatchObject({ chat_id: update.message.chat.id });
    // The welcome asks for a language first: one button per project language, the person's own (fil) first.
    const keyboard = replies.map((reply) => reply.reply_markup as { inline_keyboard?: unknown } | undefined);
    const choices = (keyboard.find((markup) => markup?.inline_keyboard)?.inline_keyboard ?? []) as Array<
      Array<{ callback_data: string }>
    >;
    // Each button's data is its question and its value (choice-data.ts).
    expect(choices.map(([button]) => decodeChoiceData(button!.callback_data)?.value)).toEqual([
      'fil',
      ...languages.filter(({ code }) => code !== 'fil').map(({ code }) => code),
    ]);
  });

  it('still checks the secret token before looking at the body', async () => {
    const response = await app.request('/webhooks/telegram', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': 'not-the-secret' },
      body: JSON.stringify({ update_id: 'x', message: 'hello' }),
    });
    expect(response.status).toBe(401);
  });
});

function without<T extends Record<string, unknown>>(value: T, key: keyof T) {
  const { [key]: _dropped, ...rest } = value;
  return rest;
}
