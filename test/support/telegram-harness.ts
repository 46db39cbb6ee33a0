import { randomBytes } from 'node:crypto';
import { assembleChatOutbox } from '../../app/assemble-conversations.js';
import { createPortal } from '../../app/create-portal.js';
import { silentLogger } from '../../app/logger.js';
import { decodeChoiceData } from '../../intake/conversation/choice-data.js';
import { startFakeTelegramApi, type DeliveredMessage } from './fake-telegram-api.js';
import type { TestDatabase } from './test-databases.js';
import { openTestServices } from './test-services.js';

/** The data of the inline button whose choice is `value`, if the markup shows one. */
/**
 * The button a person taps to answer `value` in one chat: the latest message
 * that showed a button of that value, with its real data and message id (the
 * data an old keyboard sent, without its question, when none was shown).
 */
export function shownButton(
  delivered: readonly DeliveredMessage[],
  chatId: number,
  value: string,
): { messageId: number; data: string } {
  const shown = delivered.findLast(
    (message) => message.chatId === chatId && buttonData(message.replyMarkup, value) !== undefined,
  );
  const data = shown ? buttonData(shown.replyMarkup, value) : undefined;
  return shown && data ? { messageId: shown.messageId, data } : { messageId: 1, data: `c:${value}` };
}

function buttonData(markup: unknown, value: string): string | undefined {
  const keyboard = (markup as { inline_keyboard?: Array<Array<{ callback_data?: string }>> } | undefined)
    ?.inline_keyboard;
  return keyboard
    ?.flat()
    .map((button) => button.callback_data)
    .find((data) => data !== undefined && decodeChoiceData(data)?.value === value);
}

export const botToken = '7000000001:AAtest-token-for-the-fake-api';
export const webhookSecret = 'telegram-webhook-secret-for-tests';

/**
 * The whole Telegram path of the product as the composition root assembles
 * it, over a real database: the portal's webhook, the bot (telegraf) talking
 * to a fake Bot API on 127.0.0.1, the conversation runner, the chat outbox
 * and its worker, and the intake. `restart()` opens it all again on the same
 * database, as a restarted process would. Each post waits for the worker to
 * send what the turn queued; `flush()` also moves the worker's clock past
 * every retry's wait.
 */
/** The last update_id handed out by any harness in this process (see createTelegramHarness). */
let lastUpdateId = 0;

export async function createTelegramHarness(database: TestDatabase) {
  const api = await startFakeTelegramApi(botToken);
  const environment = {
    // One key for every restart: what one process encrypted, the next reads.
    REPORTLINE_DATA_KEY: randomBytes(32).toString('hex'),
    TELEGRAM_BOT_TOKEN: botToken,
    TELEGRAM_WEBHOOK_SECRET: webhookSecret,
    TELEGRAM_API_ROOT: api.apiRoot,
    EVIDENCE_MAX_MB: '1',
  };

  /** The worker's and the outbox's clock: real time, plus what flush() skipped ahead. */
  let skippedMs = 0;
  const now = () => new Date(Date.now() + skippedMs);

  async function build() {
    const services = await openTestServices(database, { environment, logger: silentLogger, now });
    // As the server does: the chat outbox worker sends the bot's answers and staff replies.
    services.chatWorker.start(60_000);
    return {
      services,
      intake: services,
      runner: services.conversationRunner,
      telegram: services.telegram!,
      app: createPortal(services, silentLogger),
      worker: services.chatWorker,
      /** The chat outbox the services write to, for a test that queues a message itself. */
      outbox: assembleChatOutbox(services, now),
    };
  }

  let parts = await build();
  // Telegram numbers a bot's updates once, whichever chat: harnesses on one database go on from the last number,
  // or the journal would take a new harness's update for a redelivery of an earlier one.
  let updateId = (lastUpdateId += 1000);
  const user = { id: 5551001, is_bot: false, first_name: '민수', language_code: 'ko' };
  const chat = { id: 5551001, type: 'private', first_name: '민수' };

  async function post(update: Record<string, unknown>, secret = webhookSecret) {
    const response = await parts.app.request('/webhooks/telegram', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret },
      body: JSON.stringify(update),
    });
    // The webhook answered once the turn was committed; let the worker send what it queued.
    await parts.worker.idle();
    return response;
  }

  /** Sends everything still pending, skipping the worker's clock past each retry's wait. */
  async function flush() {
    for (;;) {
      await parts.worker.idle();
      if ((await parts.worker.runOnce()) > 0) continue;
      const pending = await database.db
        .selectFrom('chat_outbox')
        // The latest wait: the messages queued behind a waiting head are due already, but not their turn.
        .select((eb) => eb.fn.max('next_attempt_at').as('due'))
        .where('status', '=', 'pending')
        .executeTakeFirst();
      if (!pending?.due) return;
      skippedMs += Math.max(1, new Date(String(pending.due)).getTime() - now().getTime() + 1);
    }
  }

  function message(content: Record<string, unknown>) {
    updateId += 1;
    return {
      update_id: updateId,
      message: { message_id: updateId * 10, from: user, chat, date: 1_763_800_000, ...content },
    };
  }

  return {
    api,
    get intake() {
      return parts.intake;
    },
    get runner() {
      return parts.runner;
    },
    get worker() {
      return parts.worker;
    },
    get outbox() {
      return parts.outbox;
    },
    /** The Telegram side of the chat-channel port, as the composition root hands it to the messenger. */
    get channel() {
      return parts.telegram.channel;
    },
    /** The person's chat id (their conversation's address). */
    chatId: String(chat.id),
    flush,
    post,
    text: (text: string) => {
      const command = /^\/\w+/.exec(text)?.[0];
      return post(
        message({
          text,
          ...(command ? { entities: [{ offset: 0, length: command.length, type: 'bot_command' }] } : {}),
        }),
      );
    },
    /** Presses the button of that value on the latest message showing one, as the person would. */
    choose: (value: string) => {
      updateId += 1;
      const shown = shownButton(api.delivered, chat.id, value);
      return post({
        update_id: updateId,
        callback_query: {
          id: `cbq-${updateId}`,
          from: user,
          message: {
            message_id: shown.messageId,
            from: { id: 7_000_000_001, is_bot: true, first_name: 'Reportline' },
            chat,
            date: 1_763_800_000,
            text: '…',
          },
          chat_instance: '-1234567890',
          // No such button shown: the data an old keyboard (before buttons carried their question) sends.
          data: shown.data,
        },
      });
    },
    location: (latitude: number, longitude: number) => post(message({ location: { latitude, longitude } })),
    photo: (fileId: string, bytes: Buffer) => {
      api.addFile(fileId, bytes, `photos/${fileId}.jpg`);
      return post(
        message({
          photo: [
            { file_id: `${fileId}-small`, file_unique_id: 'small', width: 90, height: 90, file_size: 10 },
            { file_id: fileId, file_unique_id: fileId, width: 1280, height: 960, file_size: bytes.length },
          ],
        }),
      );
    },
    /** The same update delivered again, as Telegram does after a timeout. */
    lastUpdate: () => message({ text: 'again' }),
    /** Texts the person received, in order (what the Bot API took, not what it refused). */
    sentTexts: () => api.delivered.map((message) => message.text),
    /** As a process that stops: the worker finishes what it is sending, then everything is built again. */
    restart: async () => {
      await parts.services.close();
      parts = await build();
    },
    close: async () => {
      await parts.services.close();
      await api.close();
    },
  };
}
