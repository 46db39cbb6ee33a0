import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for api.telegram.org on 127.0.0.1, speaking the Bot API's wire
 * format (https://core.telegram.org/bots/api): `POST /bot<token>/<method>`
 * with a JSON or multipart body, answered `{"ok":true,"result":…}` or
 * `{"ok":false,"error_code":…,"description":…,"parameters":{…}}`, and file
 * downloads at `/file/bot<token>/<file_path>`.
 *
 * Every call is recorded for the test to inspect; `delivered` holds only the
 * messages the fake took, in order. It refuses what Telegram refuses: an
 * empty text (400 "Bad Request: message text is empty"), a text over 4096
 * UTF-16 code units once its entities are parsed (400 "Bad Request: message
 * is too long"), a button whose callback_data is not 1–64 bytes of UTF-8 (400
 * "Bad Request: BUTTON_DATA_INVALID"), answering a callback query twice or
 * more than 15 seconds after the press (400 "Bad Request: query is too old and
 * response timeout expired or query ID is invalid"), editing the markup of a
 * message it never sent or to the markup it has already (400 "message to edit
 * not found" / "message is not modified"), and getFile on a file over the 20 MB
 * bots may download (400 "Bad Request: file is too big"). A test can make
 * the next calls of a method fail (429 with retry_after, 403 for a blocked
 * bot, 500, or a dropped connection), hold every call unanswered and
 * untaken, as a Bot API that never got the request would, or keep the next
 * call of a method waiting until it lets it go, as a slow Bot API does.
 */
export interface RecordedCall {
  method: string;
  payload: Record<string, unknown>;
}

export interface FakeFile {
  bytes: Buffer;
  filePath: string;
}

/** An answer the fake gives instead of doing the call, or a connection it drops without answering. */
export type TelegramFailure = { code: number; description: string; retryAfter?: number } | { drop: true };

export interface DeliveredMessage {
  chatId: number;
  messageId: number;
  text: string;
  replyMarkup?: unknown;
  /** When its request reached the fake (performance.now()), for rate checks. */
  at: number;
}

export const telegramTextLimit = 4096;
/** Telegram's limit on a button's callback_data, in bytes of UTF-8. */
export const callbackDataLimit = 64;
/** How long after a press Telegram still takes answerCallbackQuery. */
export const callbackAnswerWindowMs = 15_000;

/** The text as Telegram counts it: after entity parsing, in UTF-16 code units (a JavaScript string's length). */
function parsedText(text: string, parseMode: unknown): string {
  if (parseMode === 'HTML')
    return text
      .replace(/<[^>]+>/g, '')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, '&');
  if (parseMode === 'MarkdownV2') return text.replace(/\\(.)/g, '$1').replace(/[*_~|`]/g, '');
  return text;
}

/** Whether every inline button's callback_data is 1–64 bytes (a keyboard Telegram would take). */
function validCallbackData(markup: unknown): boolean {
  const keyboard = (markup as { inline_keyboard?: unknown } | undefined)?.inline_keyboard;
  if (!Array.isArray(keyboard)) return true;
  return keyboard.flat().every((button: { callback_data?: unknown }) => {
    if (button.callback_data === undefined) return true;
    const bytes = Buffer.byteLength(String(button.callback_data), 'utf8');
    return bytes >= 1 && bytes <= callbackDataLimit;
  });
}

export const fakeBot = { id: 7_000_000_001, is_bot: true, first_name: 'Reportline', username: 'reportline_test_bot' };

export async function startFakeTelegramApi(token: string) {
  const calls: RecordedCall[] = [];
  const files = new Map<string, FakeFile>();
  const failures = new Map<string, Array<TelegramFailure | undefined>>();
  const deleted = new Set<string>();
  const delivered: DeliveredMessage[] = [];
  /** The inline markup of every message the fake sent, by `chat:message`, as editMessageReplyMarkup changes it. */
  const markups = new Map<string, string>();
  /** Callback queries: when the person pressed, and whether the bot answered already. */
  const queries = new Map<string, { pressedAt: number; answered: boolean }>();
  const tooBig = new Set<string>();
  let skewMs = 0;
  const clock = () => Date.now() + skewMs;
  const listeners = new Set<() => void>();
  let holding = false;
  let held = 0;
  /** Calls of a method kept waiting, as a slow Bot API keeps them: each carried out as usual once let go. */
  const slowed = new Map<string, Array<{ reached: () => void; letGo: Promise<void> }>>();
  let nextMessageId = 1000;

  function changed() {
    for (const listener of [...listeners]) listener();
  }

  /** Resolves once `condition` holds, checked after every request the fake sees: no polling, no sleep. */
  function until(condition: () => boolean): Promise<void> {
    return new Promise((resolve) => {
      if (condition()) return resolve();
      const listener = () => {
        if (!condition()) return;
        listeners.delete(listener);
        resolve();
      };
      listeners.add(listener);
    });
  }

  function answer(response: ServerResponse, body: unknown, status = 200) {
    response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  }

  async function readPayload(request: IncomingMessage): Promise<Record<string, unknown>> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const type = request.headers['content-type'] ?? '';
    if (type.includes('application/json')) return raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
    if (type.includes('multipart/form-data')) {
      const boundary = /boundary=(.+)$/.exec(type)?.[1] ?? '';
      const payload: Record<string, unknown> = {};
      for (const part of raw.split(`--${boundary}`)) {
        const name = /name="([^"]+)"/.exec(part)?.[1];
        if (!name) continue;
        const value = part.split('\r\n\r\n').slice(1).join('\r\n\r\n').replace(/\r\n$/, '');
        try {
          payload[name] = JSON.parse(value);
        } catch {
          payload[name] = value;
        }
      }
      return payload;
    }
    return Object.fromEntries(new URLSearchParams(raw));
  }

  function messageFor(payload: Record<string, unknown>) {
    nextMessageId += 1;
    return {
      message_id: nextMessageId,
      from: fakeBot,
      chat: { id: Number(payload.chat_id), type: 'private' },
      date: Math.floor(Date.now() / 1000),
      ...(typeof payload.text === 'string' ? { text: payload.text } : {}),
      ...(payload.reply_markup ? { reply_markup: payload.reply_markup } : {}),
    };
  }

  const server: Server = createServer(async (request, response) => {
    // When the request reached the fake, before its body is read: what Telegram's rate limit counts.
    const arrivedAt = performance.now();
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    response.on('finish', changed);
    const fileMatch = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname);
    if (fileMatch) {
      const file = [...files.values()].find((candidate) => candidate.filePath === fileMatch[2]);
      // A file Telegram no longer keeps: its path is still named, the download is not found.
      if (fileMatch[1] !== token || !file || file.filePath.startsWith('gone/'))
        return answer(response, { ok: false, error_code: 404, description: 'Not Found' }, 404);
      response
        .writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': file.bytes.length })
        .end(file.bytes);
      return undefined;
    }
    const match = /^\/bot([^/]+)\/(\w+)$/.exec(url.pathname);
    if (!match || match[1] !== token) {
      return answer(response, { ok: false, error_code: 401, description: 'Unauthorized' }, 401);
    }
    const method = match[2]!;
    const payload = await readPayload(request);
    if (holding && method !== 'getMe') {
      // Never answered and never taken: as if the request had not reached Telegram.
      held += 1;
      changed();
      return undefined;
    }
    const slow = slowed.get(method)?.shift();
    if (slow) {
      slow.reached();
      await slow.letGo;
    }
    calls.push({ method, payload });
    const failure = failures.get(method)?.shift();
    if (failure && 'drop' in failure) {
      request.socket.destroy();
      changed();
      return undefined;
    }
    if (failure) {
      return answer(
        response,
        {
          ok: false,
          error_code: failure.code,
          description: failure.description,
          ...(failure.retryAfter !== undefined ? { parameters: { retry_after: failure.retryAfter } } : {}),
        },
        failure.code,
      );
    }
    switch (method) {
      case 'getMe':
        return answer(response, {
          ok: true,
          result: {
            ...fakeBot,
            can_join_groups: false,
            can_read_all_group_messages: false,
            supports_inline_queries: false,
          },
        });
      case 'sendMessage': {
        const text = parsedText(typeof payload.text === 'string' ? payload.text : '', payload.parse_mode);
        if (!validCallbackData(payload.reply_markup))
          return answer(response, { ok: false, error_code: 400, description: 'Bad Request: BUTTON_DATA_INVALID' }, 400);
        if (text.trim() === '')
          return answer(
            response,
            { ok: false, error_code: 400, description: 'Bad Request: message text is empty' },
            400,
          );
        if (text.length > telegramTextLimit)
          return answer(response, { ok: false, error_code: 400, description: 'Bad Request: message is too long' }, 400);
        const message = messageFor(payload);
        delivered.push({
          chatId: message.chat.id,
          messageId: message.message_id,
          text,
          ...(payload.reply_markup ? { replyMarkup: payload.reply_markup } : {}),
          at: arrivedAt,
        });
        const inline = (payload.reply_markup as { inline_keyboard?: unknown } | undefined)?.inline_keyboard;
        markups.set(`${message.chat.id}:${message.message_id}`, JSON.stringify(inline ?? []));
        answer(response, { ok: true, result: message });
        changed();
        return undefined;
      }
      case 'sendLocation':
        return answer(response, { ok: true, result: messageFor(payload) });
      case 'editMessageReplyMarkup': {
        const key = `${payload.chat_id}:${payload.message_id}`;
        const current = markups.get(key);
        if (current === undefined || deleted.has(key))
          return answer(
            response,
            { ok: false, error_code: 400, description: 'Bad Request: message to edit not found' },
            400,
          );
        const inline = (payload.reply_markup as { inline_keyboard?: unknown } | undefined)?.inline_keyboard;
        const next = JSON.stringify(inline ?? []);
        if (next === current)
          return answer(
            response,
            {
              ok: false,
              error_code: 400,
              description:
                'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message',
            },
            400,
          );
        markups.set(key, next);
        return answer(response, { ok: true, result: messageFor(payload) });
      }
      case 'editMessageText':
        return answer(response, { ok: true, result: messageFor(payload) });
      case 'answerCallbackQuery': {
        const id = String(payload.callback_query_id);
        // A query the test did not announce counts as pressed when first answered.
        const query = queries.get(id) ?? { pressedAt: clock(), answered: false };
        queries.set(id, query);
        if (query.answered || clock() - query.pressedAt > callbackAnswerWindowMs)
          return answer(
            response,
            {
              ok: false,
              error_code: 400,
              description: 'Bad Request: query is too old and response timeout expired or query ID is invalid',
            },
            400,
          );
        query.answered = true;
        return answer(response, { ok: true, result: true });
      }
      case 'setWebhook':
      case 'deleteWebhook':
      case 'setMyCommands':
      case 'sendChatAction':
        return answer(response, { ok: true, result: true });
      case 'deleteMessage': {
        const key = `${payload.chat_id}:${payload.message_id}`;
        if (deleted.has(key))
          return answer(
            response,
            { ok: false, error_code: 400, description: 'Bad Request: message to delete not found' },
            400,
          );
        deleted.add(key);
        return answer(response, { ok: true, result: true });
      }
      case 'getFile': {
        const file = files.get(String(payload.file_id));
        if (tooBig.has(String(payload.file_id)))
          return answer(response, { ok: false, error_code: 400, description: 'Bad Request: file is too big' }, 400);
        if (!file)
          return answer(response, { ok: false, error_code: 400, description: 'Bad Request: invalid file_id' }, 400);
        return answer(response, {
          ok: true,
          result: {
            file_id: payload.file_id,
            file_unique_id: `u${payload.file_id}`,
            file_size: file.bytes.length,
            file_path: file.filePath,
          },
        });
      }
      case 'getUpdates':
        return answer(response, { ok: true, result: [] });
      default:
        return answer(
          response,
          { ok: false, error_code: 404, description: `Not Found: method ${method} not faked` },
          404,
        );
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const apiRoot = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    apiRoot,
    calls,
    deleted,
    /** Makes a file downloadable through getFile + /file/bot<token>/<path>. */
    addFile(fileId: string, bytes: Buffer, filePath: string) {
      files.set(fileId, { bytes, filePath });
    },
    /** A file over the 20 MB bots may download: getFile refuses it. */
    addTooBigFile(fileId: string) {
      tooBig.add(fileId);
    },
    /** A file Telegram no longer has: getFile names it, the download answers 404. */
    addGoneFile(fileId: string, filePath: string) {
      files.set(fileId, { bytes: Buffer.alloc(0), filePath: `gone/${filePath}` });
    },
    /** The person pressed a button now (or `agoMs` ago): the bot has 15 seconds to answer that query, once. */
    pressed(queryId: string, agoMs = 0) {
      queries.set(queryId, { pressedAt: clock() - agoMs, answered: false });
    },
    /** Moves the fake's clock on (a press's answer window closes). */
    advance(ms: number) {
      skewMs += ms;
    },
    /** The inline keyboard a sent message shows now (after any edit), or undefined for a message never sent. */
    keyboardOf(chatId: number, messageId: number): unknown[] | undefined {
      const markup = markups.get(`${chatId}:${messageId}`);
      return markup === undefined ? undefined : (JSON.parse(markup) as unknown[]);
    },
    /** The messages the fake took (sendMessage answered ok), in the order it took them. */
    delivered,
    failNext(method: string, failure: TelegramFailure) {
      failures.set(method, [...(failures.get(method) ?? []), failure]);
    },
    /** Lets the next `passing` calls of a method through, then fails the one after. */
    failAfter(method: string, passing: number, failure: TelegramFailure) {
      failures.set(method, [...(failures.get(method) ?? []), ...Array<undefined>(passing).fill(undefined), failure]);
    },
    /** From now on every call (but getMe) is held: read, never answered, never taken. */
    hold() {
      holding = true;
    },
    /** Calls are answered again; held ones stay unanswered (their senders are gone or will time out). */
    release() {
      holding = false;
    },
    /** Resolves once `count` calls are being held. */
    heldCalls: (count: number) => until(() => held >= count),
    /**
     * The next call of a method waits (a slow Bot API) until let go, then is carried out and answered as usual;
     * `reached` resolves once it has arrived and is waiting.
     */
    slowNext(method: string): { reached: Promise<void>; letGo: () => void } {
      let reached = () => {};
      let letGo = () => {};
      const arrived = new Promise<void>((resolve) => (reached = resolve));
      const going = new Promise<void>((resolve) => (letGo = resolve));
      slowed.set(method, [...(slowed.get(method) ?? []), { reached, letGo: going }]);
      return { reached: arrived, letGo };
    },
    /** Resolves once the fake has taken `count` messages. */
    deliveredCount: (count: number) => until(() => delivered.length >= count),
    until,
    callsOf(method: string) {
      return calls.filter((call) => call.method === method).map((call) => call.payload);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
