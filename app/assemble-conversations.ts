import type { i18n } from 'i18next';
import type { PlatformChatChannel } from '../intake/chat/chat-channel.js';
import type { Clock } from '../intake/clock.js';
import { ChatOutbox } from '../intake/chat/chat-outbox.js';
import { ChatOutboxWorker, type ChatOutboxWorkerOptions } from '../intake/chat/chat-outbox-worker.js';
import { ConversationRunner } from '../intake/conversation/conversation-runner.js';
import type { EvidenceLimits } from '../intake/evidence/evidence-files.js';
import { audioTypes, documentTypes, imageTypes, videoTypes } from '../intake/evidence/sniff-media-type.js';
import { extractIndicators } from '../intake/indicators/extract-indicators.js';
import { describeStoredRouting } from '../intake/routing/describe-stored-routing.js';
import { emergencyContactsFor } from '../intake/routing/emergency-contacts.js';
import type { AgencyDirectory } from '../intake/routing/load-agency-directory.js';
import { ConversationStore } from '../intake/store/conversation-store.js';
import type { Intake } from './assemble-intake.js';

/** The chat outbox over the intake's database: a turn's and a staff reply's messages wait here until sent. */
export function assembleChatOutbox(intake: Intake, now?: Clock): ChatOutbox {
  return new ChatOutbox({ db: intake.db, cipher: intake.cipher, followups: intake.followups, ...(now ? { now } : {}) });
}

/**
 * The reporting conversation of every chat channel, over the intake: the
 * server, the tests and any future channel assemble it the same way, here.
 * `afterCommit` is told when a turn left messages in the outbox (the worker's
 * nudge; the worker is built after the bots, which need this runner).
 */
export function assembleConversationRunner(parts: {
  intake: Intake;
  directory: AgencyDirectory;
  i18n: i18n;
  outbox?: ChatOutbox;
  afterCommit?: () => void;
  /** PUBLIC_BASE_URL: a warning's answer in the chat links the public dispute form there. */
  publicBaseUrl?: string;
}): ConversationRunner {
  const { intake, directory, i18n } = parts;
  return new ConversationRunner({
    conversations: new ConversationStore({ db: intake.db, cipher: intake.cipher }),
    reports: intake.reports,
    followups: intake.followups,
    extractIndicators,
    emergencyContacts: (country, nationality, language) =>
      emergencyContactsFor(directory, country, i18n.getFixedT(language, 'routing'), language, nationality),
    label: (key, language) => i18n.getFixedT(language, 'conversation')(key),
    describeRoutingToReporter: async (reportId, language) => {
      // Someone reporting for a person held reads about that person ("the victim is held in …"), not "you are".
      const stored = await intake.reports.getReportById(reportId);
      const reader = stored?.report.reporterRole === 'family_or_friend' ? 'agency' : 'reporter';
      return describeStoredRouting(intake.routing, reportId, { reader, language }, { directory, i18n });
    },
    // Answers after an urgent report become its fields; each turn's amendment is keyed, so a redelivery is one.
    amendReport: (request) => intake.amendments.amend(request),
    withdrawReport: (request) => intake.withdrawals.withdraw(request),
    requestCorrection: (request) => intake.corrections.request(request),
    // "/check": the intake's checks answer; the owner of a number warned about disputes it on the public form.
    check: (request) => intake.checks.check(request),
    ...(parts.publicBaseUrl ? { checkDisputeUrl: `${parts.publicBaseUrl}/check/dispute` } : {}),
    outbox: parts.outbox ?? assembleChatOutbox(intake),
    ...(parts.afterCommit ? { afterCommit: parts.afterCommit } : {}),
  });
}

/** The worker that sends the chat outbox through the channels that run here; what Telegram showed is kept for /hide. */
export function assembleChatOutboxWorker(
  parts: { outbox: ChatOutbox; runner: ConversationRunner; channels: readonly PlatformChatChannel[] } & Omit<
    ChatOutboxWorkerOptions,
    'outbox' | 'channels' | 'onDelivered'
  >,
): ChatOutboxWorker {
  const { runner, ...options } = parts;
  return new ChatOutboxWorker({
    ...options,
    onDelivered: (channel, recipient, ids) => runner.recordShownMessages(channel, recipient, ids),
  });
}

/** What reporters may send through a chat: photos, screenshots, PDF documents, videos and voice notes, up to a size. */
export function chatEvidenceLimits(maxBytes: number): EvidenceLimits {
  return { maxBytes, allowedTypes: new Set([...imageTypes, ...documentTypes, ...videoTypes, ...audioTypes]) };
}

/** What the web form takes: photos, screenshots and PDF documents, up to a size (videos go through a chat). */
export function formEvidenceLimits(maxBytes: number): EvidenceLimits {
  return { maxBytes, allowedTypes: new Set([...imageTypes, ...documentTypes]) };
}
