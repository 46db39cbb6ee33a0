import type { ConversationOutput } from './conversation-types.js';

/**
 * What a chat button sends back when pressed: the value of the choice and the
 * question (the step) it was shown for, so that a press on an old keyboard is
 * recognised as belonging to an earlier question instead of answering the
 * current one. Both platform channels use it: Telegram's callback_data (at
 * most 64 bytes of UTF-8) and LINE's postback data (at most 300 characters).
 *
 * Format: `q:<question>:<value>`. A question is ASCII without `:` (the engine's
 * step names); the value is everything after the second colon, so it may hold
 * colons itself. Buttons shown before the question was carried (`c:<value>`)
 * still decode, without a question.
 */

/** The smaller of the platforms' limits: Telegram's callback_data, in UTF-8 bytes. */
export const choiceDataMaxBytes = 64;

const prefix = 'q:';
const legacyPrefix = 'c:';
const questionPattern = /^[\x21-\x39\x3b-\x7e]{0,24}$/;

export class ChoiceDataTooLongError extends Error {
  readonly code = 'conversation.choice_data_too_long';
}

/** The data of one button; `question` may be '' (an output that does not say which question it asks). */
export function encodeChoiceData(question: string, value: string): string {
  // A question the format cannot carry is left out: the press still means its value.
  const carried = questionPattern.test(question) ? question : '';
  const data = `${prefix}${carried}:${value}`;
  // A value this long is a bug in the questionnaire: Telegram would refuse the whole message.
  if (Buffer.byteLength(data, 'utf8') > choiceDataMaxBytes)
    throw new ChoiceDataTooLongError(`a choice's data is over ${choiceDataMaxBytes} bytes`);
  return data;
}

/** A button's data as the conversation's choice, or undefined when it is not one of ours. */
export function decodeChoiceData(data: string): { question?: string; value: string } | undefined {
  if (data.startsWith(legacyPrefix)) {
    const value = data.slice(legacyPrefix.length);
    return value ? { value } : undefined;
  }
  if (!data.startsWith(prefix)) return undefined;
  const rest = data.slice(prefix.length);
  const separator = rest.indexOf(':');
  if (separator < 0) return undefined;
  const question = rest.slice(0, separator);
  const value = rest.slice(separator + 1);
  if (!value || !questionPattern.test(question)) return undefined;
  return question ? { question, value } : { value };
}

/** The question an output asks, once the engine names it on its buttons' outputs. */
function questionOf(output: ConversationOutput): string {
  const { question } = output as { question?: unknown };
  return typeof question === 'string' ? question : '';
}

/**
 * A turn's outputs with every button's value replaced by its data (question and
 * value), as a platform channel shows them: what a press sends back is then
 * exactly what the button showed.
 */
export function withChoiceData(outputs: ConversationOutput[]): ConversationOutput[] {
  return outputs.map((output) =>
    output.type === 'choices' || output.type === 'request_file'
      ? {
          ...output,
          options: output.options.map((option) => ({
            ...option,
            // The label is looked up by the value's key when there is no ready label: keep it.
            ...(option.label === undefined && option.labelKey === undefined ? { labelKey: option.value } : {}),
            value: encodeChoiceData(questionOf(output), option.value),
          })),
        }
      : output,
  );
}
