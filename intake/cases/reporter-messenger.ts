import type { Kysely, Transaction } from 'kysely';
import type { PlatformChatChannel } from '../chat/chat-channel.js';
import type { ChatOutbox } from '../chat/chat-outbox.js';
import type { Channel } from '../report/report-schema.js';
import type { ConversationStore } from '../store/conversation-store.js';
import type { Database } from '../store/database.js';
import type { ChatStatus, ReportFollowups } from '../store/report-followups.js';
import { chatTextOfMessage } from './reporter-messages.js';

export interface MessengerDependencies {
  db: Kysely<Database>;
  followups: ReportFollowups;
  conversations: ConversationStore;
  outbox: ChatOutbox;
  /**
   * The chat channels that run here (Telegram, LINE); a reporter of another channel is reached on the status page only.
   */
  channels: readonly PlatformChatChannel[];
  /** The neutral first line of a message sent to a chat, in the reporter's language (see chatTextOfMessage). */
  neutralFirstLine: (language: string) => string;
  /**
   * Tells the chat outbox worker there is something to send (it also polls, for a caller's transaction not yet
   * committed).
   */
  nudge?: () => void;
}

export interface SendOptions {
  /** The caller's transaction: the message, its chat queueing and the caller's own writes commit together. */
  trx?: Transaction<Database>;
}

/**
 * Writes to a reporter. The message is stored for their status page and,
 * if they agreed to be contacted and reported through a chat that runs here
 * and has not blocked us, queued in that chat's outbox in the same
 * transaction; the chat outbox worker sends it and records how it went on
 * the message (queued → sent or failed, with a reason code staff see). A
 * failed one can be queued again. Someone who did not agree to be contacted
 * is never written to in their chat: their phone may be watched.
 */
export class ReporterMessenger {
  readonly #deps: MessengerDependencies;

  constructor(dependencies: MessengerDependencies) {
    this.#deps = dependencies;
  }

  async send(
    reportId: string,
    body: string,
    author: string,
    options: SendOptions = {},
  ): Promise<{ messageId: number; chat: ChatStatus }> {
    const result = await this.#inTransaction(options.trx, async (trx) => {
      const messageId = await this.#deps.followups.postMessageToReporter(reportId, { body, author }, trx);
      return { messageId, chat: await this.#queueForChat(trx, reportId, messageId, body.trim()) };
    });
    if (result.chat === 'queued') this.#deps.nudge?.();
    return result;
  }

  /** Queues a message that did not reach the chat again; undefined when there is no such failed message. */
  async resend(messageId: number, options: SendOptions = {}): Promise<ChatStatus | undefined> {
    const status = await this.#inTransaction(options.trx, async (trx) => {
      const message = await this.#deps.followups.getMessage(messageId, trx);
      if (!message || message.chatStatus !== 'failed') return undefined;
      // Staff asked for this one: a chat stopped because the person blocked the bot is tried again
      // (Telegram tells no bot of an unblock; a still blocked chat answers 403 and the message fails again).
      return this.#queueForChat(trx, message.reportId, messageId, message.body, { evenIfStopped: true });
    });
    if (status === 'queued') this.#deps.nudge?.();
    return status;
  }

  /** Where a reply would go besides the status page, for staff to see before they write. */
  async chatOf(reportId: string): Promise<{ channel: Channel; reachable: boolean } | undefined> {
    const address = await this.#deps.conversations.channelAddressOfReport(reportId);
    return address && { channel: address.channel, reachable: this.#reachable(address) !== undefined };
  }

  #inTransaction<T>(trx: Transaction<Database> | undefined, work: (trx: Transaction<Database>) => Promise<T>) {
    return trx ? work(trx) : this.#deps.db.transaction().execute(work);
  }

  /** The running channel that can still write to this chat (the person has not blocked it). */
  #reachable(address: { channel: Channel; status: string }, evenIfStopped = false): PlatformChatChannel | undefined {
    if (address.status !== 'active' && !evenIfStopped) return undefined;
    return this.#deps.channels.find((candidate) => candidate.channel === address.channel);
  }

  async #queueForChat(
    trx: Transaction<Database>,
    reportId: string,
    messageId: number,
    body: string,
    options: { evenIfStopped?: boolean } = {},
  ): Promise<ChatStatus> {
    const { followups, conversations, outbox } = this.#deps;
    const address = await conversations.channelAddressOfReport(reportId, trx);
    const channel = address && this.#reachable(address, options.evenIfStopped);
    const consent = await trx
      .selectFrom('reports')
      .select(['consent_contact', 'language'])
      .where('id', '=', reportId)
      .executeTakeFirst();
    if (!address || !channel || consent?.consent_contact !== 1) {
      await followups.recordChatDelivery(messageId, 'not_sent', null, trx);
      return 'not_sent';
    }
    await outbox.enqueue(trx, {
      conversationId: address.conversationId,
      channel: channel.channel,
      messages: channel.renderText(chatTextOfMessage(this.#deps.neutralFirstLine(consent.language), body)),
      reporterMessageId: messageId,
    });
    await followups.recordChatDelivery(messageId, 'queued', null, trx);
    return 'queued';
  }
}
