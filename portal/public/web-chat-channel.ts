import type { i18n } from 'i18next';
import type { TranscriptChatChannel, TranscriptEntry } from '../../intake/chat/chat-channel.js';
import { renderOutputs } from '../../intake/conversation/chat-messages.js';

const questionSeparator = '|';

/** A posted button's value as the conversation takes it: the answer, and the question it answers if it names one. */
export function choicePosted(posted: string): { value: string; question?: string } {
  const at = posted.indexOf(questionSeparator);
  return at < 0 ? { value: posted } : { question: posted.slice(0, at), value: posted.slice(at + 1) };
}

/** What the web chat's receipt says about hiding (a key of the portal's texts, read through the chat's). */
export const webChatHideAdvice = 'portal:chat.hideAdvice';

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
      // The bots' advice says /hide removes their messages; here hiding clears the page and ends the chat in
      // this browser, and the receipt says so in the web chat's own words.
      const here = outputs.map((output) =>
        output.type === 'receipt'
          ? {
              ...output,
              adviceKeys: [...output.adviceKeys.filter((key) => key !== 'advice.keepPhoneSafe'), webChatHideAdvice],
            }
          : output,
      );
      return renderOutputs(here, t).flatMap((message): TranscriptEntry[] => {
        // The page itself does the hiding (see web-chat.tsx): nothing of the bot's to remove.
        if (message.kind === 'hide') return [];
        if (message.kind === 'location_request') return [{ from: 'reportline', text: message.text }];
        // Each button carries the question it answers, as the bots' buttons do, so an old page's press cannot
        // answer a later question (consent above all): `<question>|<value>`, split again by choicePosted().
        const buttons = message.buttons?.map((button) => ({
          label: button.label,
          value: message.question ? `${message.question}${questionSeparator}${button.value}` : button.value,
        }));
        return [{ from: 'reportline', text: message.text, ...(buttons ? { buttons } : {}) }];
      });
    },
  };
}
