import { messagingApi, type webhook } from '@line/bot-sdk';
import type { i18n } from 'i18next';
import type { ConversationRunner } from '../../intake/conversation/conversation-runner.js';
import {
  conversationCommands,
  type ConversationCommand,
  type ConversationInput,
} from '../../intake/conversation/conversation-types.js';
import { evidenceInput, type EvidenceSettings } from '../../intake/conversation/evidence-input.js';
import type { InboundEventJournal } from '../../intake/store/inbound-event-journal.js';
import { errorCodeOf } from '../../intake/errors/error-code.js';
import { createLineChannel } from './line-channel.js';
import { postbackPrefix } from './line-messages.js';

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

/**
 * How long after its event a reply token is still used. LINE documents no
 * exact lifetime and expires them after about a minute; past this an answer
 * goes by push rather than risk a refused reply.
 */
const replyTokenValidityMs = 50_000;

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
 * came: each becomes an input of the reporting conversation, whose answer is
 * committed with the turn into the chat outbox and sent by the outbox worker
 * through `channel` (line-channel.ts): with the reply token while it is
 * valid, by push otherwise.
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
  const channel = createLineChannel({ client, i18n: options.i18n });

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
    const replyToken = 'replyToken' in event && event.replyToken ? event.replyToken : undefined;
    // Valid from when LINE sent the event (not when we got to it: after a restart that may be long past).
    const sentAt = Math.min(event.timestamp, Date.now());
    await runner.handle(channel, userId, read.input, {
      updateKey: key,
      languageHint,
      ...(read.sticker ? { preface: [{ type: 'text', key: 'stickerReply' }] } : {}),
      ...(replyToken
        ? { context: { replyToken: { token: replyToken, validUntil: new Date(sentAt + replyTokenValidityMs) } } }
        : {}),
    });
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
            await journal.markFailed(pending.id, pending.attempts + 1, errorCodeOf(error));
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
    /** The way back to the person, for the chat outbox worker and staff messages. */
    channel,
  };
}

export type LineBot = ReturnType<typeof createLineBot>;
