import type { i18n } from 'i18next';
import { Telegraf, TelegramError, type Context } from 'telegraf';
import type { Update } from 'telegraf/types';
import { renderOutputs, splitText, type ChatMessage } from '../../intake/conversation/chat-messages.js';
import type { ConversationRunner } from '../../intake/conversation/conversation-runner.js';
import {
  conversationCommands,
  type ConversationCommand,
  type ConversationInput,
} from '../../intake/conversation/conversation-types.js';
import { evidenceInput, type EvidenceSettings } from '../../intake/conversation/evidence-input.js';

/** Telegram refuses longer messages. */
export const telegramTextLimit = 4096;
/** A bot may download files of at most 20 MB through the Bot API; we take less. */
const callbackPrefix = 'c:';

export interface TelegramBotOptions {
  token: string;
  /** A self-hosted Bot API server, or the fake in tests. */
  apiRoot?: string;
  runner: ConversationRunner;
  i18n: i18n;
  evidence: EvidenceSettings;
  /** Told about failures that are not the person's doing; must not log personal data. */
  onError?: (error: unknown) => void;
  /** How long to wait at most when Telegram asks to slow down (429), per call. */
  maxRetryAfterSeconds?: number;
}

function commandOf(text: string): ConversationCommand | undefined {
  const match = /^\/([a-z]+)(?:@\w+)?(?:\s|$)/i.exec(text.trim());
  const name = match?.[1]?.toLowerCase();
  return name && (conversationCommands as readonly string[]).includes(name) ? (name as ConversationCommand) : undefined;
}

/**
 * The Telegram channel: turns each update into an input of the reporting
 * conversation and the conversation's answers into Bot API calls. Nothing
 * else happens here; the conversation and the report live in the intake.
 */
export function createTelegramBot(options: TelegramBotOptions) {
  const bot = new Telegraf(options.token, {
    telegram: { ...(options.apiRoot ? { apiRoot: options.apiRoot } : {}), webhookReply: false },
  });
  const { runner } = options;
  const maxRetryAfter = options.maxRetryAfterSeconds ?? 30;

  /** A Bot API call, waiting and trying again when Telegram says to slow down. */
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
      await call(() => ctx.answerCbQuery());
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

  async function show(ctx: Context, chatId: number, messages: ChatMessage[]): Promise<string[]> {
    const sent: string[] = [];
    for (const message of messages) {
      if (message.kind === 'hide') {
        const ids = await runner.takeShownMessages('telegram', String(chatId));
        if (ctx.message) ids.push(String(ctx.message.message_id));
        for (const id of ids) {
          // Older than 48 hours, or already gone: nothing more the bot can do about it.
          await ctx.telegram.deleteMessage(chatId, Number(id)).catch(() => undefined);
        }
        continue;
      }
      if (message.kind === 'location_request') {
        const result = await call(() =>
          ctx.telegram.sendMessage(chatId, message.text, {
            reply_markup: {
              keyboard: [[{ text: message.buttonLabel, request_location: true }]],
              one_time_keyboard: true,
              resize_keyboard: true,
            },
          }),
        );
        sent.push(String(result.message_id));
        continue;
      }
      const parts = splitText(message.text, telegramTextLimit);
      for (const [index, part] of parts.entries()) {
        const buttons = index === parts.length - 1 ? message.buttons : undefined;
        const result = await call(() =>
          ctx.telegram.sendMessage(chatId, part, {
            ...(buttons
              ? {
                  reply_markup: {
                    inline_keyboard: buttons.map((button) => [
                      { text: button.label, callback_data: `${callbackPrefix}${button.value}` },
                    ]),
                  },
                }
              : {}),
          }),
        );
        sent.push(String(result.message_id));
      }
    }
    return sent;
  }

  bot.on(['message', 'callback_query'], async (ctx) => {
    const chatId = ctx.chat?.id;
    if (chatId === undefined || ctx.chat?.type !== 'private') return;
    const channelUserId = String(chatId);
    try {
      const input = await inputOf(ctx);
      if (!input) return;
      const result = await runner.handle('telegram', channelUserId, input, {
        updateKey: String(ctx.update.update_id),
        languageHint: ctx.from?.language_code ?? null,
      });
      if (!result.processed) return;
      const t = options.i18n.getFixedT(result.language, 'conversation');
      const shown = await show(ctx, chatId, renderOutputs(result.outputs, t));
      await runner.recordShownMessages('telegram', channelUserId, shown);
    } catch (error) {
      // The person blocked the bot: stop talking to them instead of failing again and again.
      if (error instanceof TelegramError && error.code === 403) {
        await runner.markStopped('telegram', channelUserId);
        return;
      }
      throw error;
    }
  });

  bot.catch((error) => {
    options.onError?.(error);
    throw error;
  });

  return {
    bot,
    /** One update from the webhook; resolves once it is fully handled and answered. */
    handleUpdate: (update: Update) => bot.handleUpdate(update),
    /** A message from staff to a reporter's chat, outside any conversation turn. */
    async sendText(chatId: string, text: string): Promise<void> {
      const sent: string[] = [];
      for (const part of splitText(text, telegramTextLimit)) {
        const result = await call(() => bot.telegram.sendMessage(Number(chatId), part));
        sent.push(String(result.message_id));
      }
      // /hide removes these too.
      await runner.recordShownMessages('telegram', chatId, sent);
    },
  };
}

export type TelegramBot = ReturnType<typeof createTelegramBot>;
