import type { PlatformChatChannel } from '../intake/chat/chat-channel.js';
import type { ChatOutbox } from '../intake/chat/chat-outbox.js';
import { ReporterMessenger } from '../intake/cases/reporter-messenger.js';
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
}): ReporterMessenger {
  const { intake } = parts;
  return new ReporterMessenger({
    db: intake.db,
    followups: intake.followups,
    conversations: new ConversationStore({ db: intake.db, cipher: intake.cipher }),
    outbox: parts.outbox,
    channels: parts.channels,
    ...(parts.nudge ? { nudge: parts.nudge } : {}),
  });
}
