import type { i18n } from 'i18next';
import { Telegraf, TelegramError, type Context } from 'telegraf';
import type { Update } from 'telegraf/types';
import type { ConversationRunner } from '../../intake/conversation/conversation-runner.js';
import {
  conversationCommands,
  type ConversationCommand,
  type ConversationInput,
} from '../../intake/conversation/conversation-types.js';
import { evidenceInput, type EvidenceSettings } from '../../intake/conversation/evidence-input.js';
import { callbackPrefix, createTelegramChannel } from './telegram-channel.js';

export { telegramTextLimit } from './telegram-channel.js';

export interface TelegramBotOptions {
  token: string;
  /** A self-hosted Bot API server, or the fake in tests. */
  apiRoot?: string;
  runner: ConversationRunner;
  i18n: i18n;
  evidence: EvidenceSettings;
  /** Told about failures that are not the person's doing; must not log personal data. */
  onError?: (error: unknown) => void;
  /** How long to wait at most when Telegram asks to slow down (429) while downloading a file. */
  maxRetryAfterSeconds?: number;
}

function commandOf(text: string): ConversationCommand | undefined {
  const match = /^\/([a-z]+)(?:@\w+)?(?:\s|$)/i.exec(text.trim());
  const name = match?.[1]?.toLowerCase();
  return name && (conversationCommands as readonly string[]).includes(name) ? (name as ConversationCommand) : undefined;
}

/**
 * The Telegram channel: turns each update into an input of the reporting
 * conversation. The answer is committed with the turn into the chat outbox
 * and sent by the outbox worker through `channel` (telegram-channel.ts), so an
 * update is answered 200 once it is committed, whatever the Bot API does
 * next. Nothing else happens here; the conversation and the report live in
 * the intake.
 */
export function createTelegramBot(options: TelegramBotOptions) {
  const bot = new Telegraf(options.token, {
    telegram: { ...(options.apiRoot ? { apiRoot: options.apiRoot } : {}), webhookReply: false },
  });
  const { runner } = options;
  const maxRetryAfter = options.maxRetryAfterSeconds ?? 30;
  const channel = createTelegramChannel({ telegram: bot.telegram, runner, i18n: options.i18n });

  /** A Bot API call of the inbound side (a file download), waiting and trying again when Telegram says to slow down. */
  async function call<T>(operation: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await operation();
      } catch (error) {
        const retryAfter = error instanceof TelegramError ? error.parameters?.retry_after : undefined;
        if (
          error instanceof TelegramError &&
          error.code === 429 &&
          retryAfter !== undefined &&
          retryAfter <= maxRetryAfter &&
          attempt < 3
        ) {
          await new Promise((resolve) => setTimeout(resolve, retryAfter * 1000));
          continue;
        }
        throw error;
      }
    }
  }

  async function download(
    ctx: Context,
    fileId: string,
    fileSize: number | undefined,
    fileName: string | undefined,
  ): Promise<ConversationInput> {
    if (fileSize !== undefined && fileSize > options.evidence.limits.maxBytes)
      return { type: 'file_rejected', reason: 'too_large' };
    const link = await call(() => ctx.telegram.getFileLink(fileId));
    const response = await fetch(link);
    if (!response.ok) throw new Error(`file download failed with ${response.status}`);
    return evidenceInput(options.evidence, new Uint8Array(await response.arrayBuffer()), fileName);
  }

  async function inputOf(ctx: Context): Promise<ConversationInput | undefined> {
    if (ctx.callbackQuery) {
      const data = 'data' in ctx.callbackQuery ? ctx.callbackQuery.data : undefined;
      // Only stops the button's spinner: a query too old to answer must not lose the choice.
      await ctx.answerCbQuery().catch((error: unknown) => options.onError?.(error));
      return data?.startsWith(callbackPrefix)
        ? { type: 'choice', value: data.slice(callbackPrefix.length) }
        : undefined;
    }
    const message = ctx.message;
    if (!message) return undefined;
    if ('text' in message) {
      const command = commandOf(message.text);
      return command ? { type: 'command', command } : { type: 'text', text: message.text };
    }
    if ('location' in message)
      return { type: 'location', latitude: message.location.latitude, longitude: message.location.longitude };
    if ('photo' in message) {
      const largest = message.photo[message.photo.length - 1];
      return largest ? download(ctx, largest.file_id, largest.file_size, 'photo.jpg') : undefined;
    }
    if ('document' in message)
      return download(ctx, message.document.file_id, message.document.file_size, message.document.file_name);
    if ('video' in message)
      return download(ctx, message.video.file_id, message.video.file_size, message.video.file_name);
    // A sticker, a voice note or a contact card: answered like an answer that does not fit.
    return { type: 'text', text: '' };
  }

  bot.on(['message', 'callback_query'], async (ctx) => {
    const chatId = ctx.chat?.id;
    if (chatId === undefined || ctx.chat?.type !== 'private') return;
    const input = await inputOf(ctx);
    if (!input) return;
    await runner.handle(channel, String(chatId), input, {
      updateKey: String(ctx.update.update_id),
      languageHint: ctx.from?.language_code ?? null,
      ...(ctx.message ? { context: { incomingMessageId: String(ctx.message.message_id) } } : {}),
    });
  });

  bot.catch((error) => {
    options.onError?.(error);
    throw error;
  });

  return {
    bot,
    /** The way back to the person, for the chat outbox worker and staff messages. */
    channel,
    /** One update from the webhook; resolves once its turn (and the answer in the outbox) is committed. */
    handleUpdate: (update: Update) => bot.handleUpdate(update),
  };
}

export type TelegramBot = ReturnType<typeof createTelegramBot>;
