import type { ConversationOutput } from '../conversation/conversation-types.js';
import type { LanguageCode } from '../i18n/languages.js';
import type { Channel } from '../report/report-schema.js';

/**
 * One request to a channel's platform, as the channel rendered it when the
 * turn was committed: plain JSON (a channel's own shape with a `kind`),
 * stored encrypted in the chat outbox and handed back to the same channel's
 * `send`. Only the channel reads inside it.
 */
export interface OutboxMessage {
  readonly kind: string;
}

/**
 * How one send went. Anything a channel cannot classify it throws, and the
 * worker retries it like a server error.
 * - delivered: the platform took it; `shownMessageIds` are the ids it gave
 *   the messages, for channels that can remove them later (/hide).
 * - retry: try again later (a server error, a dropped connection, 429);
 *   `retryAfterMs` is the platform's own wait, which the worker honours.
 * - blocked: the person blocked the bot or left; nothing more goes to them.
 * - rejected: the platform refuses this message for good (a 400).
 * `reason` is a stable code such as `telegram.message_too_long`, never personal data.
 */
export type SendResult =
  | { status: 'delivered'; shownMessageIds?: string[] }
  | { status: 'retry'; reason: string; retryAfterMs?: number }
  | { status: 'blocked'; reason: string }
  | { status: 'rejected'; reason: string };

/** What a channel knows about a message when it sends it. */
export interface SendContext {
  /** When the turn that produced the message was committed (a LINE reply token is valid for a short while). */
  queuedAt: Date;
  now: Date;
  /** The row's own id: stable across retries, so a platform that takes a retry key can drop a repeat. */
  outboxId: string;
  /**
   * Tries of this message begun before this one, one whose sender died before recording how it went included:
   * when there were any, the platform may have taken the message already though the answer never came.
   */
  earlierTries: number;
}

/** What a turn hands its channel besides the outputs: anything the channel took from the update it answers. */
export interface TurnContext {
  /** LINE: the reply token of the event, and until when it may be used. */
  replyToken?: { token: string; validUntil: Date };
  /** Telegram: the person's own message ids to remove with /hide. */
  incomingMessageId?: string;
}

/**
 * The port every chat channel implements. The channel adapter (bots/, the
 * web chat) turns what arrives into conversation inputs itself; the intake
 * only needs the way back.
 *
 * A platform channel (Telegram, LINE) renders a turn into its own requests,
 * which are written to the chat outbox in the turn's transaction and sent
 * later by the worker, in order, until each is settled.
 */
export interface PlatformChatChannel {
  readonly delivery: 'outbox';
  readonly channel: Channel;
  /** The most requests a second the platform takes from this bot in all chats together, if it sets a limit. */
  readonly sendsPerSecond?: number;
  /** A turn's outputs as this channel's requests, in the order they must arrive. */
  render(outputs: ConversationOutput[], language: LanguageCode, context: TurnContext): OutboxMessage[];
  /** A staff message's text as this channel's requests. */
  renderText(text: string): OutboxMessage[];
  send(recipient: string, message: OutboxMessage, context: SendContext): Promise<SendResult>;
}

/** A line of a conversation as a channel without its own history (the web chat) shows it again. */
export interface TranscriptEntry {
  from: 'reporter' | 'reportline';
  text: string;
  /** The choices offered with this message; a page shows those of the latest one. */
  buttons?: Array<{ label: string; value: string }>;
}

/**
 * A channel with no platform to send to (the web chat): "sending" is adding
 * the lines to the conversation's stored transcript, in the turn's own
 * transaction, so a page never misses a reply and nothing waits in an outbox.
 */
export interface TranscriptChatChannel {
  readonly delivery: 'transcript';
  readonly channel: Channel;
  transcriptLines(outputs: ConversationOutput[], language: LanguageCode): TranscriptEntry[];
}

export type ChatChannel = PlatformChatChannel | TranscriptChatChannel;
