import type { Channel } from '../report/report-schema.js';
import type { ConversationStore } from '../store/conversation-store.js';
import type { ChatStatus, ReportFollowups } from '../store/report-followups.js';

/** Sends a text to a person in the chat they reported through; throws when the chat refuses it. */
export type ChatSender = (channel: Channel, channelUserId: string, text: string) => Promise<void>;

export interface MessengerDependencies {
  followups: ReportFollowups;
  conversations: ConversationStore;
  /** Present when at least one chat bot runs; it says which channels it can reach. */
  chat?: { channels: readonly Channel[]; send: ChatSender };
  /** Whether a report's reporter agreed to be contacted. */
  contactAllowed: (reportId: string) => Promise<boolean>;
}

/**
 * Writes to a reporter. The message is stored first, so their status page
 * shows it whatever happens next; then, if they agreed to be contacted and
 * reported through a chat we can still reach (Telegram, LINE), it is sent
 * there too. How that went is recorded with the message for staff to see,
 * and a failed send can be tried again. Someone who did not agree to be
 * contacted is never written to in their chat: their phone may be watched.
 */
export class ReporterMessenger {
  readonly #deps: MessengerDependencies;

  constructor(dependencies: MessengerDependencies) {
    this.#deps = dependencies;
  }

  async send(reportId: string, body: string, author: string): Promise<{ messageId: number; chat: ChatStatus }> {
    const messageId = await this.#deps.followups.postMessageToReporter(reportId, { body, author });
    return { messageId, chat: await this.#pushToChat(reportId, messageId, body) };
  }

  /** Tries the chat again for a message that did not reach it. */
  async resend(messageId: number): Promise<ChatStatus | undefined> {
    const message = await this.#deps.followups.getMessage(messageId);
    if (!message || message.chatStatus !== 'failed') return undefined;
    return this.#pushToChat(message.reportId, messageId, message.body);
  }

  /** Where a reply would go besides the status page, for staff to see before they write. */
  async chatOf(reportId: string): Promise<{ channel: Channel; reachable: boolean } | undefined> {
    const address = await this.#chatAddress(reportId);
    return address && { channel: address.channel, reachable: address.reachable };
  }

  /** The chat a report came through, and whether a bot here can still write to it (not blocked, running). */
  async #chatAddress(reportId: string) {
    const address = await this.#deps.conversations.channelAddressOfReport(reportId);
    return (
      address && {
        ...address,
        reachable: address.status === 'active' && (this.#deps.chat?.channels.includes(address.channel) ?? false),
      }
    );
  }

  async #pushToChat(reportId: string, messageId: number, body: string): Promise<ChatStatus> {
    const { followups, chat } = this.#deps;
    const address = await this.#chatAddress(reportId);
    if (!chat || !address?.reachable || !(await this.#deps.contactAllowed(reportId))) {
      await followups.recordChatDelivery(messageId, 'not_sent', null);
      return 'not_sent';
    }
    try {
      await chat.send(address.channel, address.channelUserId, body);
    } catch (error) {
      // The reason, never the text or the address: staff see it, logs may too.
      const reason =
        error instanceof Error
          ? `${error.name}${(error as { code?: unknown }).code !== undefined ? ` ${String((error as { code?: unknown }).code)}` : ''}`
          : 'error';
      await followups.recordChatDelivery(messageId, 'failed', reason.slice(0, 200));
      return 'failed';
    }
    await followups.recordChatDelivery(messageId, 'sent', null);
    return 'sent';
  }
}
