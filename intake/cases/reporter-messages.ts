import type { ChatStatus } from '../store/report-followups.js';
import type { CaseTransaction } from './case-transaction.js';

/**
 * The text a reporter's chat receives for a message of staff or an agency: a
 * neutral first line, then the message. A phone's lock screen and the chat
 * list show the start of a message to anyone holding the phone; "Thank you.
 * We received your report RL-…" or "Royal Thai Police has taken up your
 * report" there can put a person held in a compound in danger. The status
 * page shows the message as written.
 */
export function chatTextOfMessage(neutralFirstLine: string, body: string): string {
  return `${neutralFirstLine}\n\n${body.trim()}`;
}

/**
 * What a use case needs of the reporter messenger: a message written in the
 * use case's own transaction (its chat send queued with it), so the action
 * and what the reporter is told commit together.
 */
export interface ReporterMessages {
  send(
    reportId: string,
    body: string,
    author: string,
    options: { trx: CaseTransaction },
  ): Promise<{ messageId: number; chat: ChatStatus }>;
  resend(messageId: number, options: { trx: CaseTransaction }): Promise<ChatStatus | undefined>;
}
