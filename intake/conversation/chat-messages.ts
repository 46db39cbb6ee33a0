import type { TFunction } from 'i18next';
import type { ChoiceOption, ConversationOutput } from './conversation-types.js';
import { checkAnswerText } from './check-messages.js';

/**
 * The conversation's outputs as messages a chat can show: text, with buttons
 * or a request for the location where the engine asked for them. Shared
 * by every chat channel (Telegram, LINE, the web chat); each turns a message
 * into its own API call.
 */
export type ChatMessage =
  /** `question`: the step the buttons answer, for the channel to carry in each button's data. */
  | { kind: 'text'; text: string; buttons?: Array<{ label: string; value: string }>; question?: string }
  | { kind: 'location_request'; text: string; buttonLabel: string }
  | { kind: 'hide' };

/**
 * A button's label. Asked with its question's name as the i18next context
 * (`options.yes_consentShare`), so a language whose "yes" differs between
 * "is this right?" and "may we…?" words it per question; others fall back to `options.yes`.
 */
export function optionLabel(t: TFunction, option: ChoiceOption, questionKey?: string): string {
  const context = questionKey?.split('.').pop();
  return option.label ?? t(option.labelKey ?? option.value, context ? { context } : {});
}

export function renderOutputs(outputs: ConversationOutput[], t: TFunction): ChatMessage[] {
  const messages: ChatMessage[] = [];
  for (const output of outputs) {
    switch (output.type) {
      case 'text':
        messages.push({ kind: 'text', text: t(output.key, output.params) });
        break;
      case 'choices':
        messages.push({
          kind: 'text',
          text: t(output.key, output.params),
          buttons: output.options.map((option) => ({
            label: optionLabel(t, option, output.key),
            value: option.value,
          })),
          question: output.question,
        });
        break;
      case 'request_file':
        messages.push({
          kind: 'text',
          text: t(output.key),
          buttons: output.options.map((option) => ({ label: optionLabel(t, option), value: option.value })),
          question: output.question,
        });
        break;
      case 'request_location':
        messages.push({ kind: 'location_request', text: t(output.key), buttonLabel: t('options.short.shareLocation') });
        break;
      case 'contacts':
        // One message: the heading, each number, then how to reach the hotline. Never empty.
        messages.push({
          kind: 'text',
          text: [
            t(output.key),
            ...output.contacts.map((contact) =>
              t('contactLine', {
                label: contact.label,
                agency: contact.agency,
                contact: contact.phone ?? contact.url ?? '',
              }),
            ),
            ...output.afterKeys.map((key) => t(key)),
          ].join('\n'),
        });
        break;
      case 'summary':
        messages.push({
          kind: 'text',
          text: [
            t('summary.title'),
            ...output.lines.map(
              (line) => `${t(line.labelKey)}: ${line.valueKey ? t(line.valueKey) : (line.value ?? '')}`,
            ),
          ].join('\n'),
        });
        break;
      case 'receipt':
        messages.push({
          kind: 'text',
          text: [
            t('receipt.title'),
            t('receipt.reference', { reference: output.reference }),
            t('receipt.code', { code: output.receiptCode }),
            t('receipt.keepSafe'),
            ...(output.routingLines.length > 0 ? ['', t('receipt.routingTitle'), ...output.routingLines] : []),
            '',
            ...output.adviceKeys.map((key) => `• ${t(key)}`),
          ].join('\n'),
        });
        break;
      case 'check_answer':
        messages.push({ kind: 'text', text: checkAnswerText(output, t) });
        break;
      case 'hide_messages':
        messages.push({ kind: 'hide' });
        break;
      case 'draft_deleted':
        break;
      case 'effect':
        break;
    }
  }
  return messages;
}

/** Splits a text at line breaks (or, for one very long line, anywhere) so each part fits a channel's limit. */
export function splitText(text: string, limit: number): string[] {
  if (text.length <= limit) return [text];
  const parts: string[] = [];
  let current = '';
  for (const line of text.split('\n')) {
    const candidate = current ? `${current}\n${line}` : line;
    if (candidate.length <= limit) {
      current = candidate;
      continue;
    }
    if (current) parts.push(current);
    let rest = line;
    while (rest.length > limit) {
      parts.push(rest.slice(0, limit));
      rest = rest.slice(limit);
    }
    current = rest;
  }
  if (current) parts.push(current);
  return parts;
}
