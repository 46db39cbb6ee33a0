import { HTTPFetchError, messagingApi, type webhook } from '@line/bot-sdk';
import type { i18n } from 'i18next';
import type { ConversationRunner } from '../../intake/conversation/conversation-runner.js';
import {
  conversationCommands,
  type ConversationCommand,
  type ConversationInput,
} from '../../intake/conversation/conversation-types.js';
import { evidenceInput, type EvidenceSettings } from '../../intake/conversation/evidence-input.js';
import type { InboundEventJournal } from '../../intake/store/inbound-event-journal.js';
import { splitText } from '../../intake/conversation/chat-messages.js';
import { lineTextLimit, postbackPrefix, toLineMessages } from './line-messages.js';

export interface LineBotOptions {
  channelAccessToken: string;
  /** Where api.line.me is (a proxy, or the fake in tests). */
  apiBaseUrl?: string;
  /** Where api-data.line.me is (message content). */
  dataApiBaseUrl?: string;
  runner: ConversationRunner;
  journal: InboundEventJournal;
  i18n: i18n;
  evidence: EvidenceSettings;
  onError?: (error: unknown) => void;
}

/** A reply token may carry five messages; more go out by push, five at a time. */
const messagesPerRequest = 5;

function commandOf(text: string): ConversationCommand | undefined {
  const name = /^\/([a-z]+)\s*$/i.exec(text.trim())?.[1]?.toLowerCase();
  return name && (conversationCommands as readonly string[]).includes(name) ? (name as ConversationCommand) : undefined;
}

async function readAll(stream: AsyncIterable<Uint8Array>, maxBytes: number): Promise<Uint8Array | undefined> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += chunk.length;
    // Stop reading a file that will be refused anyway.
    if (size > maxBytes) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/**
 * The LINE channel. The webhook records each event durably and answers 200
 * at once; events are then worked off from the journal in the order they
 * came: each becomes an input of the reporting conversation, and the answers
 * go back with the reply token, or by push once it has expired.
 */
export function createLineBot(options: LineBotOptions) {
  const client = new messagingApi.MessagingApiClient({
    channelAccessToken: options.channelAccessToken,
    ...(options.apiBaseUrl ? { baseURL: options.apiBaseUrl } : {}),
  });
  const blob = new messagingApi.MessagingApiBlobClient({
    channelAccessToken: options.channelAccessToken,
    ...(options.dataApiBaseUrl ? { baseURL: options.dataApiBaseUrl } : {}),
  });
  const { runner, journal } = options;

  async function languageHintOf(userId: string): Promise<string | null> {
    try {
      return (await client.getProfile(userId)).language ?? null;
    } catch {
      // Not a friend any more, or the profile is private: ask for the language instead.
      return null;
    }
  }

  async function content(messageId: string, fileName: string | undefined): Promise<ConversationInput> {
    return evidenceInput(
      options.evidence,
      await readAll(await blob.getMessageContent(messageId), options.evidence.limits.maxBytes),
      fileName,
    );
  }

  async function inputOf(event: webhook.Event): Promise<{ input: ConversationInput; sticker?: boolean } | undefined> {
    if (event.type === 'follow') return { input: { type: 'command', command: 'start' } };
    if (event.type === 'postback') {
      const data = event.postback.data;
      return data.startsWith(postbackPrefix)
        ? { input: { type: 'choice', value: data.slice(postbackPrefix.length) } }
        : undefined;
    }
    if (event.type !== 'message') return undefined;
    const message = event.message;
    switch (message.type) {
      case 'text': {
        const command = commandOf(message.text);
        return { input: command ? { type: 'command', command } : { type: 'text', text: message.text } };
      }
      case 'location':
        return { input: { type: 'location', latitude: message.latitude, longitude: message.longitude } };
      case 'image':
        return { input: await content(message.id, 'image.jpg') };
      case 'video':
        return { input: await content(message.id, 'video.mp4') };
      case 'file':
        return { input: await content(message.id, message.fileName) };
      case 'sticker':
        return { input: { type: 'text', text: '' }, sticker: true };
      default:
        return { input: { type: 'text', text: '' } };
    }
  }

  async function send(userId: string, replyToken: string | undefined, messages: messagingApi.Message[]): Promise<void> {
    let rest = messages;
    if (replyToken && rest.length > 0) {
      try {
        await client.replyMessage({ replyToken, messages: rest.slice(0, messagesPerRequest) });
        rest = rest.slice(messagesPerRequest);
      } catch (error) {
        // An expired or used reply token: everything goes by push instead.
        if (!(error instanceof HTTPFetchError && error.status === 400)) throw error;
      }
    }
    for (let start = 0; start < rest.length; start += messagesPerRequest) {
      await client.pushMessage({ to: userId, messages: rest.slice(start, start + messagesPerRequest) });
    }
  }

  async function handleEvent(event: webhook.Event, key: string): Promise<void> {
    const userId = event.source?.type === 'user' ? event.source.userId : undefined;
    if (!userId) return;
    if (event.type === 'unfollow') {
      await runner.markStopped('line', userId);
      return;
    }
    const read = await inputOf(event);
    if (!read) return;
    const languageHint =
      event.type === 'follow' || !(await runner.hasConversation('line', userId)) ? await languageHintOf(userId) : null;
    const result = await runner.handle('line', userId, read.input, { updateKey: key, languageHint });
    if (!result.processed) return;
    const t = options.i18n.getFixedT(result.language, 'conversation');
    const messages = [
      ...(read.sticker ? [{ type: 'text' as const, text: t('stickerReply') }] : []),
      ...toLineMessages(result.outputs, t),
    ];
    const replyToken = 'replyToken' in event ? event.replyToken : undefined;
    await send(userId, replyToken, messages);
  }

  let running: Promise<void> | undefined;
  let again = false;

  /** Works off every recorded event not yet handled; one run at a time, in order. */
  async function processPending(): Promise<void> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        for (const pending of await journal.pending('line')) {
          try {
            await handleEvent(pending.payload as webhook.Event, pending.key);
            await journal.markProcessed(pending.id);
          } catch (error) {
            options.onError?.(error);
            await journal.markFailed(pending.id, pending.attempts + 1, error instanceof Error ? error.name : 'error');
          }
        }
      } while (again);
    })().finally(() => {
      running = undefined;
    });
    return running;
  }

  return {
    /** Records a webhook's events durably (redeliveries are recognised by webhookEventId). */
    async record(events: webhook.Event[]): Promise<void> {
      await journal.record(
        'line',
        events.map((event) => ({ key: event.webhookEventId, payload: event })),
      );
    },
    processPending,
    /** A message from staff to a reporter's chat, outside any conversation turn (a push). */
    async sendText(userId: string, text: string): Promise<void> {
      const messages = splitText(text, lineTextLimit).map((part) => ({ type: 'text' as const, text: part }));
      await send(userId, undefined, messages);
    },
  };
}

export type LineBot = ReturnType<typeof createLineBot>;
