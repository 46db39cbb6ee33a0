import type { i18n } from 'i18next';
import { TelegramError, type Telegram } from 'telegraf';
import type { OutboxMessage, PlatformChatChannel, SendResult } from '../../intake/chat/chat-channel.js';
import { renderOutputs, splitText } from '../../intake/conversation/chat-messages.js';
import { withChoiceData } from '../../intake/conversation/choice-data.js';
import type { ConversationRunner } from '../../intake/conversation/conversation-runner.js';

/** Telegram refuses longer messages (4096 UTF-16 code units, which is what a JavaScript string's length counts). */
export const telegramTextLimit = 4096;
/**
 * Telegram lets a bot send about 30 messages a second in all
 * (https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this); past that it answers 429.
 */
export const telegramSendsPerSecond = 30;

/** What one outbox row asks of the Bot API: one sendMessage, or removing the messages shown so far (/hide). */
type TelegramMessage =
  /** `removeKeyboard`: the reply keyboard ("Share my location") goes away with this message (after /hide). */
  | { kind: 'text'; text: string; buttons?: Array<{ label: string; value: string }>; removeKeyboard?: true }
  | { kind: 'location_request'; text: string; buttonLabel: string }
  | { kind: 'hide'; incomingMessageId?: string };

/** The Bot API's refusals as stable reason codes: what staff and the logs see, never the text. */
function badRequestReason(description: string): string {
  if (/message is too long/i.test(description)) return 'telegram.message_too_long';
  if (/message text is empty/i.test(description)) return 'telegram.message_empty';
  if (/chat not found/i.test(description)) return 'telegram.chat_not_found';
  // A button's data over 64 bytes: choice-data.ts refuses to make one, so this is a bug worth its own code.
  if (/BUTTON_DATA_INVALID/i.test(description)) return 'telegram.button_data_invalid';
  return 'telegram.bad_request';
}

/** A request that never got an answer (refused connection, dropped socket, timeout): worth trying again. */
function isNetworkError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const { name, code, type } = error as Error & { code?: unknown; type?: unknown };
  return name === 'FetchError' || name === 'AbortError' || type === 'system' || typeof code === 'string';
}

function classify(error: unknown): SendResult {
  if (error instanceof TelegramError) {
    if (error.code === 429) {
      const retryAfter = error.parameters?.retry_after;
      return {
        status: 'retry',
        reason: 'telegram.too_many_requests',
        ...(retryAfter !== undefined ? { retryAfterMs: retryAfter * 1000 } : {}),
      };
    }
    if (error.code === 403) return { status: 'blocked', reason: 'telegram.blocked' };
    if (error.code === 400) return { status: 'rejected', reason: badRequestReason(error.description) };
    if (error.code >= 500) return { status: 'retry', reason: 'telegram.server_error' };
    return { status: 'rejected', reason: `telegram.http_${error.code}` };
  }
  if (isNetworkError(error)) return { status: 'retry', reason: 'telegram.network_error' };
  throw error;
}

/**
 * The Telegram side of the chat-channel port: a turn's outputs become one
 * outbox row per Bot API message (long texts split at Telegram's limit, the
 * buttons on the last part), and each row is one sendMessage, or for /hide the
 * deletion of what the bot showed.
 */
export function createTelegramChannel(options: {
  telegram: Telegram;
  runner: ConversationRunner;
  i18n: i18n;
}): PlatformChatChannel {
  const { telegram, runner } = options;

  function textMessages(text: string, buttons?: Array<{ label: string; value: string }>): TelegramMessage[] {
    // An empty text is refused by Telegram ("message text is empty"): there is nothing to show.
    const parts = splitText(text, telegramTextLimit).filter((part) => part.trim() !== '');
    return parts.map((part, index) => ({
      kind: 'text',
      text: part,
      ...(buttons && index === parts.length - 1 ? { buttons } : {}),
    }));
  }

  async function hide(chatId: string, incomingMessageId: string | undefined): Promise<void> {
    // The bot's messages and the person's own (their story, a shared location, the /hide itself).
    const ids = new Set(await runner.takeShownMessages('telegram', chatId));
    if (incomingMessageId) ids.add(incomingMessageId);
    for (const id of ids) {
      // Older than 48 hours, or already gone: nothing more the bot can do about it.
      await telegram.deleteMessage(Number(chatId), Number(id)).catch(() => undefined);
    }
  }

  async function deliver(chatId: string, message: TelegramMessage): Promise<SendResult> {
    if (message.kind === 'hide') {
      await hide(chatId, message.incomingMessageId);
      return { status: 'delivered' };
    }
    const markup =
      message.kind === 'location_request'
        ? {
            reply_markup: {
              keyboard: [[{ text: message.buttonLabel, request_location: true }]],
              one_time_keyboard: true,
              resize_keyboard: true,
            },
          }
        : message.buttons
          ? {
              reply_markup: {
                // The value is the button's data already (choice-data.ts): its question and its value.
                inline_keyboard: message.buttons.map((button) => [{ text: button.label, callback_data: button.value }]),
              },
            }
          : message.removeKeyboard
            ? { reply_markup: { remove_keyboard: true as const } }
            : {};
    const result = await telegram.sendMessage(Number(chatId), message.text, markup);
    return { status: 'delivered', shownMessageIds: [String(result.message_id)] };
  }

  return {
    delivery: 'outbox',
    channel: 'telegram',
    sendsPerSecond: telegramSendsPerSecond,
    render(outputs, language, context) {
      const t = options.i18n.getFixedT(language, 'conversation');
      let afterHide = false;
      return renderOutputs(withChoiceData(outputs), t).flatMap((message): TelegramMessage[] => {
        if (message.kind === 'hide') {
          afterHide = true;
          return [
            { kind: 'hide', ...(context.incomingMessageId ? { incomingMessageId: context.incomingMessageId } : {}) },
          ];
        }
        if (message.kind === 'location_request') return [message];
        const texts = textMessages(message.text, message.buttons);
        const first = texts[0];
        // The message after /hide's deletions takes the reply keyboard away; one without buttons of its own.
        if (afterHide && first?.kind === 'text' && !first.buttons) {
          afterHide = false;
          return [{ ...first, removeKeyboard: true }, ...texts.slice(1)];
        }
        return texts;
      });
    },
    renderText: (text) => textMessages(text),
    async send(recipient, message: OutboxMessage) {
      try {
        return await deliver(recipient, message as TelegramMessage);
      } catch (error) {
        return classify(error);
      }
    },
  };
}
