import type { messagingApi } from '@line/bot-sdk';
import type { TFunction } from 'i18next';
import { renderOutputs, splitText } from '../../intake/conversation/chat-messages.js';
import { withChoiceData } from '../../intake/conversation/choice-data.js';
import type { ConversationOutput } from '../../intake/conversation/conversation-types.js';

type Message = messagingApi.Message;

/**
 * LINE's limits: 5,000 characters a text, 13 quick-reply buttons, 20 characters a button label (LINE counts
 * a label's user-perceived characters, so a Thai or Burmese letter with its marks is one), 400 an altText.
 */
export const lineTextLimit = 5000;
const quickReplyLimit = 13;
export const lineLabelLimit = 20;
const altTextLimit = 400;

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** A label as LINE takes it: whole when it fits in 20 graphemes, else cut between graphemes with an ellipsis. */
export function lineLabel(text: string): string {
  const parts = [...graphemes.segment(text)].map((part) => part.segment);
  return parts.length <= lineLabelLimit ? text : `${parts.slice(0, lineLabelLimit - 1).join('')}…`;
}
const label = lineLabel;

/** A Flex message's text alternative: at most 400 characters, cut between graphemes (never inside an emoji). */
function altText(text: string): string {
  let kept = '';
  for (const { segment } of graphemes.segment(text)) {
    if (kept.length + segment.length > altTextLimit) break;
    kept += segment;
  }
  return kept;
}

function quickReply(buttons: Array<{ label: string; value: string }>): messagingApi.QuickReply {
  return {
    items: buttons.map((button) => ({
      type: 'action',
      action: {
        type: 'postback',
        label: label(button.label),
        data: button.value,
        displayText: button.label,
      },
    })),
  };
}

/** More choices than quick replies allow (a list of countries): a bubble of buttons that reads well on a phone. */
function buttonBubble(text: string, buttons: Array<{ label: string; value: string }>): Message {
  return {
    type: 'flex',
    altText: altText(text),
    contents: {
      type: 'bubble',
      body: {
        type: 'box',
        layout: 'vertical',
        spacing: 'sm',
        contents: [
          { type: 'text', text, wrap: true, weight: 'bold' },
          ...buttons.map((button) => ({
            type: 'button' as const,
            style: 'secondary' as const,
            height: 'sm' as const,
            action: {
              type: 'postback' as const,
              label: label(button.label),
              data: button.value,
              displayText: button.label,
            },
          })),
        ],
      },
    },
  };
}

/** A card of labelled lines (the summary, the receipt), with the same content as plain text for old phones. */
function card(title: string, lines: string[], footer: string[]): Message {
  const plain = [title, ...lines, ...footer].join('\n');
  return {
    type: 'flex',
    altText: altText(plain),
    contents: {
      type: 'bubble',
      body: {
        type: 'box',
        layout: 'vertical',
        spacing: 'md',
        contents: [
          { type: 'text', text: title, weight: 'bold', size: 'lg', wrap: true },
          { type: 'separator' },
          ...lines.map((line) => ({ type: 'text' as const, text: line || ' ', wrap: true, size: 'sm' as const })),
          ...(footer.length > 0 ? [{ type: 'separator' as const }] : []),
          ...footer.map((line) => ({
            type: 'text' as const,
            text: line,
            wrap: true,
            size: 'xs' as const,
            color: '#555555',
          })),
        ],
      },
    },
  };
}

/**
 * The conversation's outputs as LINE messages: texts with quick-reply buttons,
 * a location button, and the summary and the receipt as Flex cards with a text
 * alternative.
 */
export function toLineMessages(outputs: ConversationOutput[], channelT: TFunction): Message[] {
  // LINE's own wording where a text differs (`advice.keepPhoneSafe_line`: LINE has no /hide); else the shared text.
  const t = ((key: string, options?: object) => channelT(key, { context: 'line', ...options })) as TFunction;
  const messages: Message[] = [];
  // Every button's postback data is its question and its value (choice-data.ts).
  for (const output of withChoiceData(outputs)) {
    if (output.type === 'summary') {
      messages.push(
        card(
          t('summary.title'),
          output.lines.map((line) => `${t(line.labelKey)}: ${line.valueKey ? t(line.valueKey) : (line.value ?? '')}`),
          [],
        ),
      );
      continue;
    }
    if (output.type === 'receipt') {
      messages.push(
        card(
          t('receipt.title'),
          [
            t('receipt.reference', { reference: output.reference }),
            t('receipt.code', { code: output.receiptCode }),
            ...(output.routingLines.length > 0 ? [t('receipt.routingTitle'), ...output.routingLines] : []),
          ],
          [t('receipt.keepSafe'), ...output.adviceKeys.map((key) => `• ${t(key)}`)],
        ),
      );
      continue;
    }
    if (output.type === 'hide_messages') {
      // LINE gives bots no way to delete messages: say how to clear the chat instead.
      messages.push({ type: 'text', text: t('hideUnavailable') });
      continue;
    }
    for (const message of renderOutputs([output], t)) {
      if (message.kind === 'hide') continue;
      if (message.kind === 'location_request') {
        messages.push({
          type: 'text',
          text: message.text,
          quickReply: { items: [{ type: 'action', action: { type: 'location', label: label(message.buttonLabel) } }] },
        });
        continue;
      }
      const parts = splitText(message.text, lineTextLimit);
      parts.forEach((part, index) => {
        const buttons = index === parts.length - 1 ? message.buttons : undefined;
        if (buttons && buttons.length > quickReplyLimit) messages.push(buttonBubble(part, buttons));
        else messages.push({ type: 'text', text: part, ...(buttons ? { quickReply: quickReply(buttons) } : {}) });
      });
    }
  }
  return messages;
}
