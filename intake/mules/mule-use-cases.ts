import type { Clock } from '../clock.js';
import {
  getFreezeRequest,
  listFreezeRequests,
  freezeRequestsOfReport,
  type FreezeRequestView,
} from './freeze-requests.js';
import { accountsReportedBySeveral, type ReportedAccount } from './reported-accounts.js';
import { recordFreezeRequest } from './record-freeze-request.js';
import { sendFreezeRequest, type SendFreezeRequestDependencies } from './send-freeze-request.js';

export type { FreezeRequestView } from './freeze-requests.js';
export type { ReportedAccount } from './reported-accounts.js';

/**
 * What the console does with mule accounts, handed in by the composition root (the portal never holds the
 * database): the freeze requests to work off, a case's own, sending one to the bank, and the accounts several
 * reports name.
 */
export interface MuleUseCases {
  freezeRequests(): Promise<{ open: FreezeRequestView[]; sent: FreezeRequestView[] }>;
  freezeRequestsOfReport(reportId: string): Promise<FreezeRequestView[]>;
  freezeRequest(id: string): Promise<FreezeRequestView | undefined>;
  /**
   * Queues the request's e-mail to the bank's fraud desk (sent by the mail outbox worker); refused with a
   * FreezeRequestError (already queued or sent, no desk for the bank, mail not set up…).
   */
  sendFreezeRequest(id: string, actor: string): Promise<{ sentTo: string; outcome: 'queued' | 'queued_again' }>;
  /**
   * Records that staff asked the account's national anti-scam centre by phone or on its web form (no desk handles
   * the bank): the request's clock stops, audited; refused with a FreezeRequestError otherwise.
   */
  recordFreezeRequest(id: string, actor: string, via: 'phone' | 'form'): Promise<{ channel: string }>;
  reportedAccounts(): Promise<ReportedAccount[]>;
}

export function createMuleUseCases(deps: Omit<SendFreezeRequestDependencies, 'now'> & { now: Clock }): MuleUseCases {
  return {
    freezeRequests: () => listFreezeRequests(deps, deps.now()),
    freezeRequestsOfReport: (reportId) => freezeRequestsOfReport(deps, reportId, deps.now()),
    freezeRequest: (id) => getFreezeRequest(deps, id, deps.now()),
    sendFreezeRequest: (id, actor) => sendFreezeRequest(deps, { id, actor }),
    recordFreezeRequest: (id, actor, via) => recordFreezeRequest(deps, { id, actor, via }),
    reportedAccounts: () => accountsReportedBySeveral(deps),
  };
}
