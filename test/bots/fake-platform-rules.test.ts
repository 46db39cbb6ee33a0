import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeLineApi } from '../support/fake-line-api.js';
import { startFakeTelegramApi } from '../support/fake-telegram-api.js';

/**
 * The fakes refuse what the real platforms refuse, with the platforms' own
 * answers, so a bot that passes against them would pass against Telegram and
 * LINE: each rule is checked here on the wire, as the bots' libraries send it.
 */

const token = '7000000001:AArules';

describe('the fake Bot API refuses what Telegram refuses', () => {
  let api: Awaited<ReturnType<typeof startFakeTelegramApi>>;
  const call = async (method: string, payload: Record<string, unknown>) => {
    const response = await fetch(`${api.apiRoot}/bot${token}/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(payload),
    });
    return { status: response.status, body: (await response.json()) as { ok: boolean; description?: string } };
  };

  beforeAll(async () => {
    api = await startFakeTelegramApi(token);
  });
  afterAll(async () => {
    await api?.close();
  });

  it('an empty text, and one over 4096 UTF-16 code units once its entities are parsed', async () => {
    expect((await call('sendMessage', { chat_id: 1, text: ' ' })).body.description).toBe(
      'Bad Request: message text is empty',
    );
    // 2,049 emoji are 4,098 UTF-16 code units, though only 2,049 characters.
    expect((await call('sendMessage', { chat_id: 1, text: '🆘'.repeat(2049) })).body.description).toBe(
      'Bad Request: message is too long',
    );
    // Markup does not count: 4,096 letters inside <b> fit.
    const bold = await call('sendMessage', { chat_id: 1, text: `<b>${'ក'.repeat(4096)}</b>`, parse_mode: 'HTML' });
    expect(bold.body.ok).toBe(true);
  });

  it('callback data over 64 bytes of UTF-8', async () => {
    // 22 Burmese letters: 22 characters, 66 bytes.
    const keyboard = { inline_keyboard: [[{ text: 'ok', callback_data: 'က'.repeat(22) }]] };
    const refused = await call('sendMessage', { chat_id: 1, text: 'hi', reply_markup: keyboard });
    expect(refused).toEqual({
      status: 400,
      body: expect.objectContaining({ description: 'Bad Request: BUTTON_DATA_INVALID' }),
    });
  });

  it('answering a callback query twice, or more than 15 seconds after the press', async () => {
    api.pressed('fresh');
    expect((await call('answerCallbackQuery', { callback_query_id: 'fresh' })).body.ok).toBe(true);
    const again = await call('answerCallbackQuery', { callback_query_id: 'fresh' });
    expect(again.body.description).toBe(
      'Bad Request: query is too old and response timeout expired or query ID is invalid',
    );
    api.pressed('late', 16_000);
    expect((await call('answerCallbackQuery', { callback_query_id: 'late' })).status).toBe(400);
  });

  it('editing the markup of a message that does not exist, or to the markup it has', async () => {
    const missing = await call('editMessageReplyMarkup', { chat_id: 1, message_id: 999_999 });
    expect(missing.body.description).toBe('Bad Request: message to edit not found');
    const keyboard = { inline_keyboard: [[{ text: 'ok', callback_data: 'q:x:y' }]] };
    await call('sendMessage', { chat_id: 1, text: 'pick', reply_markup: keyboard });
    const sent = api.delivered.at(-1)!;
    expect((await call('editMessageReplyMarkup', { chat_id: 1, message_id: sent.messageId })).body.ok).toBe(true);
    const unchanged = await call('editMessageReplyMarkup', { chat_id: 1, message_id: sent.messageId });
    expect(unchanged.body.description).toMatch(/^Bad Request: message is not modified/);
  });

  it('getFile on a file over the 20 MB a bot may download', async () => {
    api.addTooBigFile('big');
    expect((await call('getFile', { file_id: 'big' })).body.description).toBe('Bad Request: file is too big');
  });
});

describe('the fake LINE API refuses what LINE refuses', () => {
  let api: Awaited<ReturnType<typeof startFakeLineApi>>;
  const post = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${api.baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer rules', ...headers },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const text = (value: string) => ({ type: 'text', text: value });

  beforeAll(async () => {
    api = await startFakeLineApi('rules');
  });
  afterAll(async () => {
    await api?.close();
  });

  it('a reply token used twice, or issued more than a minute ago', async () => {
    api.issueReplyToken('once');
    expect((await post('/v2/bot/message/reply', { replyToken: 'once', messages: [text('a')] })).status).toBe(200);
    const reused = await post('/v2/bot/message/reply', { replyToken: 'once', messages: [text('a')] });
    expect(reused).toEqual({ status: 400, body: { message: 'Invalid reply token' } });
    api.issueReplyToken('old', Date.now() - 61_000);
    expect((await post('/v2/bot/message/reply', { replyToken: 'old', messages: [text('a')] })).status).toBe(400);
  });

  it('more than five messages in one request', async () => {
    const six = Array.from({ length: 6 }, (_, index) => text(String(index)));
    expect((await post('/v2/bot/message/push', { to: 'U1', messages: six })).status).toBe(400);
  });

  it('an action label or quick-reply label over 20 graphemes, but not one of 20 graphemes and more code points', async () => {
    const withLabel = (label: string) => ({
      ...text('choose'),
      quickReply: { items: [{ type: 'action', action: { type: 'postback', label, data: 'q:x:y' } }] },
    });
    // Khmer: 20 graphemes (each letter with its marks), 50 code points; LINE counts the graphemes.
    const khmer = 'ខ្ញុំកំពុងត្រូវគេឃុំខ្លួន'.repeat(2);
    const graphemes = [...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(khmer)].length;
    expect([graphemes, [...khmer].length]).toEqual([20, 50]);
    expect((await post('/v2/bot/message/push', { to: 'U1', messages: [withLabel(khmer)] })).status).toBe(200);
    const long = await post('/v2/bot/message/push', { to: 'U1', messages: [withLabel('a'.repeat(21))] });
    expect(long.status).toBe(400);
    expect(JSON.stringify(long.body)).toContain('quickReply.items[0].action.label');
    const flex = {
      type: 'flex',
      altText: 'choose',
      contents: {
        type: 'bubble',
        body: {
          type: 'box',
          layout: 'vertical',
          contents: [{ type: 'button', action: { type: 'postback', label: 'b'.repeat(21), data: 'q:x:y' } }],
        },
      },
    };
    expect((await post('/v2/bot/message/push', { to: 'U1', messages: [flex] })).status).toBe(400);
  });

  it('a retry key that is not a UUID, and a push repeating an accepted one (409, shown once)', async () => {
    const bad = await post('/v2/bot/message/push', { to: 'U2', messages: [text('a')] }, { 'x-line-retry-key': '42' });
    expect(bad.status).toBe(400);
    const key = '0192f6a4-7b3c-7def-8a12-3456789abcde';
    const shown = api.delivered.length;
    const first = await post('/v2/bot/message/push', { to: 'U2', messages: [text('b')] }, { 'x-line-retry-key': key });
    const repeat = await post('/v2/bot/message/push', { to: 'U2', messages: [text('b')] }, { 'x-line-retry-key': key });
    expect([first.status, repeat.status]).toEqual([200, 409]);
    expect(api.delivered.length - shown).toBe(1);
  });

  it('content of a video LINE is still transcoding', async () => {
    api.addTranscodedContent('v1', Buffer.from('video'), 'video/mp4', ['processing', 'succeeded']);
    const get = (path: string) => fetch(`${api.baseUrl}${path}`, { headers: { authorization: 'Bearer rules' } });
    expect((await get('/v2/bot/message/v1/content')).status).toBe(404);
    expect(await (await get('/v2/bot/message/v1/content/transcoding')).json()).toEqual({ status: 'processing' });
    expect(await (await get('/v2/bot/message/v1/content/transcoding')).json()).toEqual({ status: 'succeeded' });
    expect((await get('/v2/bot/message/v1/content')).status).toBe(200);
  });
});
