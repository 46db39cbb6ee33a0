import type { i18n } from 'i18next';
import type { PlatformChatChannel } from '../intake/chat/chat-channel.js';
import type { ChatOutbox } from '../intake/chat/chat-outbox.js';
import { ReporterMessenger } from '../intake/cases/reporter-messenger.js';
import { createI18n, defaultLocalesDir, loadLocaleResources } from '../intake/i18n/create-i18n.js';
import { ConversationStore } from '../intake/store/conversation-store.js';
import type { Intake } from './assemble-intake.js';

/**
 * How staff and agencies reach a reporter: their status page always, and the
 * chat they reported through (queued in its outbox) when that channel runs
 * here and they agreed to be contacted.
 */
export function assembleMessenger(parts: {
  intake: Intake;
  outbox: ChatOutbox;
  channels: readonly PlatformChatChannel[];
  nudge?: () => void;
  /** The deployment's texts (the neutral first line of a chat message); the shipped locales when not given. */
  i18n?: Pick<i18n, 'getFixedT'>;
}): ReporterMessenger {
  const { intake } = parts;
  const texts = parts.i18n ?? createI18n(loadLocaleResources(defaultLocalesDir));
  return new ReporterMessenger({
    db: intake.db,
    followups: intake.followups,
    conversations: new ConversationStore({ db: intake.db, cipher: intake.cipher }),
    outbox: parts.outbox,
    channels: parts.channels,
    neutralFirstLine: (language) => texts.getFixedT(language, 'conversation')('newMessageFirstLine'),
    ...(parts.nudge ? { nudge: parts.nudge } : {}),
  });
}
