import type { ConversationStore } from '../store/conversation-store.js';
import type { EndedVisitStore } from '../store/ended-visits.js';
import type { DraftBindingEnded, ReportDraftStore } from '../store/report-drafts.js';

/**
 * What one browser visit holds on the server, read from its cookies by the
 * portal (each cookie's signature already checked there): the form draft and
 * the binding it was held through, the web chat's session, and the opened
 * status page (a signed value with no server state, ended by revocation).
 */
export interface BrowserVisit {
  draft?: { id: string; binding: number };
  webChatSession?: string;
  statusPage?: { visit: string; expiresAt: Date };
}

export interface BrowserVisitStores {
  drafts: ReportDraftStore;
  conversations: ConversationStore;
  endedVisits: EndedVisitStore;
}

export interface BrowserVisitEnded {
  draft: DraftBindingEnded | 'none';
  webChat: 'deleted' | 'stopped' | 'none';
  statusPage: 'revoked' | 'none';
}

/**
 * The quick exit on the server: whatever the visit's cookies open is ended,
 * so a copy of a cookie made before the exit opens nothing after it. The
 * draft stays reachable only by its resume code (or is deleted when no code
 * was ever shown, or it was already sent); the web chat's transcript is
 * deleted and its conversation stopped (a report it sent stays sent); the
 * opened status page is revoked until its cookie would have expired.
 */
export async function endBrowserVisit(stores: BrowserVisitStores, visit: BrowserVisit): Promise<BrowserVisitEnded> {
  const draft = visit.draft ? await stores.drafts.endBrowserBinding(visit.draft.id, visit.draft.binding) : 'none';
  const webChat = visit.webChatSession
    ? await stores.conversations.endBrowserVisit('webchat', visit.webChatSession)
    : 'none';
  if (visit.statusPage) await stores.endedVisits.end('status-page', visit.statusPage.visit, visit.statusPage.expiresAt);
  return { draft, webChat, statusPage: visit.statusPage ? 'revoked' : 'none' };
}
