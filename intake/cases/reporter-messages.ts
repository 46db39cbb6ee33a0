import type { ChatStatus } from '../store/report-followups.js';
import type { CaseTransaction } from './case-transaction.js';

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
