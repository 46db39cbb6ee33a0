import type { i18n } from 'i18next';
import type { TranscriptChatChannel, TranscriptEntry } from '../../intake/chat/chat-channel.js';
import { renderOutputs } from '../../intake/conversation/chat-messages.js';

/**
 * The web chat's side of the chat-channel port. It has no platform to send
 * to: a turn's answer becomes lines of the stored transcript, written by the
 * runner in the turn's own transaction, and every page shows the transcript.
 */
export function createWebChatChannel(i18n: i18n): TranscriptChatChannel {
  return {
    delivery: 'transcript',
    channel: 'webchat',
    transcriptLines(outputs, language): TranscriptEntry[] {
      const t = i18n.getFixedT(language, 'conversation');
      return renderOutputs(outputs, t).flatMap((message): TranscriptEntry[] => {
        // A page has nothing of the bot's to remove: /hide is the quick-exit link here.
        if (message.kind === 'hide') return [];
        if (message.kind === 'location_request') return [{ from: 'reportline', text: message.text }];
        return [{ from: 'reportline', text: message.text, ...(message.buttons ? { buttons: message.buttons } : {}) }];
      });
    },
  };
}
