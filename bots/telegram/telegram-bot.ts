import type { i18n } from 'i18next';
import { Telegraf, TelegramError, type Context } from 'telegraf';
import type { Update } from 'telegraf/types';
import type { ConversationRunner } from '../../intake/conversation/conversation-runner.js';
import {
  conversationCommands,
  type ConversationCommand,
  type ConversationInput,
} from '../../intake/conversation/conversation-types.js';
import { decodeChoiceData } from '../../intake/conversation/choice-data.js';
import type { HandleOptions } from '../../intake/conversation/conversation-runner.js';
import { evidenceInput, type EvidenceSettings } from '../../intake/conversation/evidence-input.js';
import type { InboundEventJournal } from '../../intake/store/inbound-event-journal.js';
import { createTelegramChannel } from './telegram-channel.js';
import { telegramRecruiterLead } from './telegram-recruiter-lead.js';
import type { RecruiterLead } from '../../intake/recruiters/recruiter-lead.js';
import { createTelegramUpdateJournal } from './telegram-update-journal.js';

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
  /**
   * Webhook mode with several instances: updates are recorded here and worked off per chat, by update_id
   * (telegram-update-journal.ts). Without it (polling, where one leader gets updates in order) each is handled
   * at once.
   */
  journal?: InboundEventJournal;
}

/**
 * A Bot API call that may fail without harm (answering a press, taking a keyboard off): logged under a code of
 * its own, so a refused callback answer is not read as a failed update. The platform's answer is its cause.
 */
export class TelegramBestEffortError extends Error {
  constructor(
    readonly code: 'telegram.answer_callback_failed' | 'telegram.keyboard_removal_failed',
    cause: unknown,
  ) {
    super(code, { cause });
  }
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

  /**
   * A file the person sent, stored as evidence, or the reason it is not: too large (Telegram lets bots fetch
   * at most 20 MB and answers getFile 400 "file is too big" when no size came with the message), or no longer
   * there to fetch (told to the person, not left in silence).
   */
  async function download(
    ctx: Context,
    fileId: string,
    fileSize: number | undefined,
    fileName: string | undefined,
    messageId: string,
  ): Promise<ConversationInput> {
    if (fileSize !== undefined && fileSize > options.evidence.limits.maxBytes)
      return { type: 'file_rejected', reason: 'too_large' };
    let link: URL;
    try {
      link = await call(() => ctx.telegram.getFileLink(fileId));
    } catch (error) {
      if (error instanceof TelegramError && error.code === 400)
        return {
          type: 'file_rejected',
          reason: /file is too big/i.test(error.description) ? 'too_large' : 'unavailable',
        };
      throw error;
    }
    const response = await fetch(link);
    // Gone from Telegram's servers (404): asking again will not bring it back.
    if (response.status === 404 || response.status === 410) return { type: 'file_rejected', reason: 'unavailable' };
    if (!response.ok) throw new Error(`file download failed with ${response.status}`);
    const input = evidenceInput(options.evidence, new Uint8Array(await response.arrayBuffer()), fileName);
    return input.type === 'file' ? { ...input, messageId } : input;
  }

  /** The file a message carries, if any: photos, documents, videos, and voice notes, audio and round videos. */
  function fileOf(
    message: Record<string, unknown>,
  ): { fileId: string; fileSize?: number; fileName: string | undefined } | undefined {
    type TelegramFile = { file_id: string; file_size?: number; file_name?: string };
    if (Array.isArray(message.photo)) {
      const largest = message.photo[message.photo.length - 1] as TelegramFile | undefined;
      return largest ? { fileId: largest.file_id, fileSize: largest.file_size, fileName: 'photo.jpg' } : undefined;
    }
    const kinds: Array<[string, string]> = [
      ['document', 'document'],
      ['video', 'video.mp4'],
      ['animation', 'animation.mp4'],
      ['voice', 'voice.ogg'],
      ['audio', 'audio.mp3'],
      ['video_note', 'video-note.mp4'],
    ];
    for (const [kind, defaultName] of kinds) {
      const file = message[kind] as TelegramFile | undefined;
      if (file) return { fileId: file.file_id, fileSize: file.file_size, fileName: file.file_name ?? defaultName };
    }
    return undefined;
  }

  /** Whom a forwarded message or a shared contact card came from: kept with the words (recruiter-lead.ts). */
  function forwardedFromOf(message: object): { forwardedFrom?: RecruiterLead } {
    const lead = telegramRecruiterLead(message as Record<string, unknown>);
    return lead ? { forwardedFrom: lead } : {};
  }

  async function inputOf(
    ctx: Context,
  ): Promise<{ input: ConversationInput; kindReply?: 'stickerReply' | 'notWordsReply' } | undefined> {
    if (ctx.callbackQuery) {
      const data = 'data' in ctx.callbackQuery ? ctx.callbackQuery.data : undefined;
      const choice = data ? decodeChoiceData(data) : undefined;
      return choice ? { input: { type: 'choice', ...choice } } : undefined;
    }
    const edited = ctx.editedMessage;
    if (edited) {
      // Only a changed text changes what the report says; an edited caption or location does not.
      return 'text' in edited && !commandOf(edited.text)
        ? { input: { type: 'edited', messageId: String(edited.message_id), text: edited.text } }
        : undefined;
    }
    const message = ctx.message;
    if (!message) return undefined;
    const messageId = String(message.message_id);
    const forwarded = forwardedFromOf(message);
    if ('text' in message) {
      const command = commandOf(message.text);
      return {
        input: command ? { type: 'command', command } : { type: 'text', text: message.text, messageId, ...forwarded },
      };
    }
    if ('location' in message)
      return {
        input: { type: 'location', latitude: message.location.latitude, longitude: message.location.longitude },
      };
    const file = fileOf(message as unknown as Record<string, unknown>);
    if (file) {
      const input = await download(ctx, file.fileId, file.fileSize, file.fileName, messageId);
      return { input: input.type === 'file' ? { ...input, ...forwarded } : input };
    }
    // A shared contact card (often the recruiter's): its name and number are the person's words.
    if ('contact' in message) {
      const { first_name: first, last_name: last, phone_number: phone } = message.contact;
      return {
        input: { type: 'text', text: [first, last, phone].filter(Boolean).join(' '), messageId, ...forwarded },
      };
    }
    // A sticker, a poll or a dice says nothing in words: a kind reply of its own, then the question again.
    if ('sticker' in message) return { input: { type: 'text', text: '' }, kindReply: 'stickerReply' };
    if ('poll' in message || 'dice' in message)
      return { input: { type: 'text', text: '' }, kindReply: 'notWordsReply' };
    return { input: { type: 'text', text: '' } };
  }

  /**
   * Stops the pressed button's spinner. Best effort: Telegram refuses a query older than about 15 seconds or
   * answered already (a redelivery), and the press must count all the same; the failure is logged with its code.
   */
  async function answerPress(ctx: Context): Promise<void> {
    await ctx
      .answerCbQuery()
      .catch((error: unknown) =>
        options.onError?.(new TelegramBestEffortError('telegram.answer_callback_failed', error)),
      );
  }

  /**
   * Takes the buttons off the message that was pressed, so an answered question cannot be answered again
   * by mistake. Sent directly rather than through the outbox: it is cosmetic (the button data carries its
   * question, so a stale press is recognised anyway), it must not wait behind the turn's answer or hold it
   * up, and it is not worth retrying. Best effort, logged with its code.
   */
  async function removeKeyboard(ctx: Context): Promise<void> {
    const pressed = ctx.callbackQuery?.message;
    // An inaccessible message (date 0) is too old to edit.
    if (!pressed || pressed.date === 0 || !ctx.chat) return;
    await ctx.telegram
      .editMessageReplyMarkup(ctx.chat.id, pressed.message_id, undefined, undefined)
      .catch((error: unknown) =>
        options.onError?.(new TelegramBestEffortError('telegram.keyboard_removal_failed', error)),
      );
  }

  bot.on(['message', 'edited_message', 'callback_query'], async (ctx) => {
    // Answered beside the turn, not before it: a slow answer from the Bot API must not hold the person's reply back.
    const answering = ctx.callbackQuery ? answerPress(ctx) : undefined;
    try {
      await handleUpdate(ctx);
    } finally {
      await answering;
    }
  });

  async function handleUpdate(ctx: Context): Promise<void> {
    const chatId = ctx.chat?.id;
    if (chatId === undefined) return;
    const updateKey = String(ctx.update.update_id);
    const languageHint = ctx.from?.language_code ?? null;
    if (ctx.chat?.type !== 'private') {
      // A group: nothing said there is read into a report; it is told once to write privately.
      if (ctx.chat?.type === 'group' || ctx.chat?.type === 'supergroup')
        await runner.handle(
          channel,
          String(chatId),
          { type: 'text', text: '' },
          { updateKey, languageHint, fromGroup: true },
        );
      return;
    }
    const read = await inputOf(ctx);
    if (!read) return;
    const message = ctx.message;
    const mediaGroupId = message && 'media_group_id' in message ? message.media_group_id : undefined;
    const handleOptions: HandleOptions = {
      updateKey,
      languageHint,
      ...(message ? { context: { incomingMessageId: String(message.message_id) } } : {}),
      ...(read.kindReply ? { preface: [{ type: 'text', key: read.kindReply }] } : {}),
      ...(typeof mediaGroupId === 'string' ? { mediaGroupId } : {}),
    };
    // A photo's or a document's caption is what the person wrote with it: taken as their words first.
    const caption = message && 'caption' in message ? message.caption?.trim() : undefined;
    if (caption && read.input.type !== 'text')
      await runner.handle(
        channel,
        String(chatId),
        {
          type: 'text',
          text: caption,
          messageId: String(message!.message_id),
          ...forwardedFromOf(message!),
        },
        // Its own turn, answered as text always; the file after it is the one that counts for the media group.
        { ...handleOptions, updateKey: `${updateKey}:caption`, mediaGroupId: undefined },
      );
    const result = await runner.handle(channel, String(chatId), read.input, handleOptions);
    if (ctx.callbackQuery && result.processed) await removeKeyboard(ctx);
  }

  bot.catch((error) => {
    options.onError?.(error);
    throw error;
  });

  const updates = options.journal
    ? createTelegramUpdateJournal({
        journal: options.journal,
        handle: (update) => bot.handleUpdate(update),
        onError: (error) => options.onError?.(error),
      })
    : undefined;

  return {
    bot,
    /** The way back to the person, for the chat outbox worker and staff messages. */
    channel,
    /**
     * One update from the webhook; resolves once its turn (and the answer in the outbox) is committed. With a
     * journal: once it is recorded and handled (here or by another instance), or recorded and the wait is over.
     */
    handleUpdate: (update: Update) => (updates ? updates.receive(update) : bot.handleUpdate(update)),
    /** Updates recorded before a crash, or whose turn failed, worked off again (webhook mode with a journal). */
    processPending: () => updates?.processPending() ?? Promise.resolve(),
    /** A graceful stop: the updates under way finish, no more are claimed (the other instances take them). */
    stop: () => updates?.stop() ?? Promise.resolve(),
  };
}

export type TelegramBot = ReturnType<typeof createTelegramBot>;
