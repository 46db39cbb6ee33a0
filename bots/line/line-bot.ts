import { HTTPFetchError, messagingApi, type webhook } from '@line/bot-sdk';
import type { i18n } from 'i18next';
import { decodeChoiceData } from '../../intake/conversation/choice-data.js';
import type { ConversationRunner } from '../../intake/conversation/conversation-runner.js';
import {
  conversationCommands,
  type ConversationCommand,
  type ConversationInput,
} from '../../intake/conversation/conversation-types.js';
import { evidenceInput, type EvidenceSettings } from '../../intake/conversation/evidence-input.js';
import { maxEventAttempts, type InboundEventJournal } from '../../intake/store/inbound-event-journal.js';
import { createInboundEventLanes } from '../../intake/store/inbound-event-lanes.js';
import { createLineChannel } from './line-channel.js';
import { checkWords } from '../../intake/conversation/check-words.js';

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
  /**
   * How often to ask whether LINE has finished preparing a video or a voice message, and the first wait
   * between two asks (doubled each time, at most 2 s).
   */
  transcoding?: { tries: number; firstWaitMs: number };
}

/** LINE is still preparing a video or audio after the waits of one try: the event is tried again later. */
export class LineContentNotReadyError extends Error {
  readonly code = 'line.content_not_ready';
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
  // LINE has no slash commands: the translated words for /check start one too.
  const isCheckWord = checkWords(options.i18n);

  async function languageHintOf(userId: string): Promise<string | null> {
    try {
      return (await client.getProfile(userId)).language ?? null;
    } catch {
      // Not a friend any more, or the profile is private: ask for the language instead.
      return null;
    }
  }

  const transcoding = options.transcoding ?? { tries: 8, firstWaitMs: 200 };

  /**
   * Waits until LINE has prepared a video or an audio message
   * (https://developers.line.biz/en/reference/messaging-api/#verify-video-or-audio-preparation-status):
   * its content cannot be fetched before. Still processing after the waits: the event is tried again later,
   * and on its last try the person is told the file could not be taken.
   */
  async function transcoded(messageId: string, lastTry: boolean): Promise<'ready' | 'failed'> {
    for (let attempt = 0; attempt < transcoding.tries; attempt += 1) {
      const { status } = await blob.getMessageContentTranscodingByMessageId(messageId);
      if (status === 'succeeded') return 'ready';
      if (status === 'failed') return 'failed';
      const waitMs = Math.min(transcoding.firstWaitMs * 2 ** attempt, 2_000);
      await new Promise((resolve) => setTimeout(resolve, waitMs));
    }
    if (lastTry) return 'failed';
    throw new LineContentNotReadyError('LINE is still preparing the content');
  }

  /** The content of a message as evidence, or why not: too large, not allowed, or no longer there (told). */
  async function content(
    messageId: string,
    fileName: string | undefined,
    prepared: { transcode: boolean; lastTry: boolean },
  ): Promise<ConversationInput> {
    try {
      if (prepared.transcode && (await transcoded(messageId, prepared.lastTry)) === 'failed')
        return { type: 'file_rejected', reason: 'unavailable' };
      const input = evidenceInput(
        options.evidence,
        await readAll(await blob.getMessageContent(messageId), options.evidence.limits.maxBytes),
        fileName,
      );
      return input.type === 'file' ? { ...input, messageId } : input;
    } catch (error) {
      // LINE keeps content for a while only; 404 (or 410) means it is gone, and trying again will not help.
      if (error instanceof HTTPFetchError && (error.status === 404 || error.status === 410))
        return { type: 'file_rejected', reason: 'unavailable' };
      throw error;
    }
  }

  async function inputOf(
    event: webhook.Event,
    lastTry: boolean,
  ): Promise<{ input: ConversationInput; sticker?: boolean; imageSet?: string } | undefined> {
    if (event.type === 'follow') return { input: { type: 'command', command: 'start' } };
    if (event.type === 'postback') {
      const choice = decodeChoiceData(event.postback.data);
      return choice ? { input: { type: 'choice', ...choice } } : undefined;
    }
    if (event.type === 'unsend') return { input: { type: 'unsent', messageId: event.unsend.messageId } };
    if (event.type !== 'message') return undefined;
    const message = event.message;
    // LINE's own content (not an external link) of a video or audio is transcoded before it can be fetched.
    const transcode = { transcode: true, lastTry };
    const asIs = { transcode: false, lastTry };
    switch (message.type) {
      case 'text': {
        const command = commandOf(message.text) ?? (isCheckWord(message.text) ? 'check' : undefined);
        return {
          input: command ? { type: 'command', command } : { type: 'text', text: message.text, messageId: message.id },
        };
      }
      case 'location':
        return { input: { type: 'location', latitude: message.latitude, longitude: message.longitude } };
      case 'image':
        return {
          input: await content(message.id, 'image.jpg', asIs),
          ...(message.imageSet?.id ? { imageSet: message.imageSet.id } : {}),
        };
      case 'video':
        return { input: await content(message.id, 'video.mp4', transcode) };
      case 'audio':
        return { input: await content(message.id, 'audio.m4a', transcode) };
      case 'file':
        return { input: await content(message.id, message.fileName, asIs) };
      case 'sticker':
        return { input: { type: 'text', text: '' }, sticker: true };
      default:
        return { input: { type: 'text', text: '' } };
    }
  }

  /** A group or a multi-person chat: told once to write privately; nothing said there is read. */
  async function answerGroup(event: webhook.Event, key: string, groupId: string): Promise<void> {
    // Only what someone said there is answered, not the bot joining or members coming and going.
    if (event.type !== 'message' && event.type !== 'join') return;
    const replyToken = 'replyToken' in event && event.replyToken ? event.replyToken : undefined;
    const sentAt = Math.min(event.timestamp, Date.now());
    // In the language of whoever wrote, when LINE shares their profile with us (they are our friend).
    const senderId = event.source && 'userId' in event.source ? event.source.userId : undefined;
    const languageHint =
      senderId && !(await runner.hasConversation('line', groupId)) ? await languageHintOf(senderId) : null;
    await runner.handle(
      channel,
      groupId,
      { type: 'text', text: '' },
      {
        updateKey: key,
        languageHint,
        fromGroup: true,
        ...(replyToken
          ? { context: { replyToken: { token: replyToken, validUntil: new Date(sentAt + replyTokenValidityMs) } } }
          : {}),
      },
    );
  }

  async function handleEvent(event: webhook.Event, key: string, lastTry: boolean): Promise<void> {
    // Standby: another channel (a chat module, staff in LINE's own chat) answers this person now, not us.
    if (event.mode === 'standby') return;
    const source = event.source;
    if (source?.type === 'group') return answerGroup(event, key, source.groupId);
    if (source?.type === 'room') return answerGroup(event, key, source.roomId);
    const userId = source?.type === 'user' ? source.userId : undefined;
    if (!userId) return;
    if (event.type === 'unfollow') {
      await runner.markStopped('line', userId);
      return;
    }
    const read = await inputOf(event, lastTry);
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
      ...(read.imageSet ? { mediaGroupId: read.imageSet } : {}),
      ...(replyToken
        ? { context: { replyToken: { token: replyToken, validUntil: new Date(sentAt + replyTokenValidityMs) } } }
        : {}),
    });
  }

  /** Whose event it is: one person's, or one group chat's, events are handled one at a time, in order. */
  const subjectOf = (event: webhook.Event): string | undefined => {
    const source = event.source;
    if (source?.type === 'group') return `group:${source.groupId}`;
    if (source?.type === 'room') return `room:${source.roomId}`;
    return source?.type === 'user' && source.userId ? `user:${source.userId}` : undefined;
  };

  // Lanes: each claims one person's (their oldest open) event, handles it and claims the next, so a slow turn holds
  // up only its own lane, not the other people's events; a stop finishes the events in hand and hands back the rest.
  const lanes = createInboundEventLanes({
    journal,
    channel: 'line',
    handle: (pending) =>
      handleEvent(pending.payload as webhook.Event, pending.key, pending.attempts + 1 >= maxEventAttempts),
    onError: (error) => options.onError?.(error),
  });

  return {
    /** Records a webhook's events durably (redeliveries are recognised by webhookEventId). */
    async record(events: webhook.Event[]): Promise<void> {
      await journal.record(
        'line',
        events.map((event) => ({ key: event.webhookEventId, payload: event, subject: subjectOf(event) })),
      );
    },
    /** Works off every recorded event not yet handled; resolves when this instance's lanes are all done. */
    processPending: lanes.processPending,
    /** A graceful stop: finishes the events under way, claims no more (the other instances take them). */
    stop: lanes.stop,
    /** The way back to the person, for the chat outbox worker and staff messages. */
    channel,
  };
}

export type LineBot = ReturnType<typeof createLineBot>;
