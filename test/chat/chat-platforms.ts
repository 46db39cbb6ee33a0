import type { DeliveredMessage } from '../support/fake-telegram-api.js';
import type { DeliveredLineMessage, LineCall } from '../support/fake-line-api.js';
import { buttonValue, type PersonAction, type ShownMessage } from './chat-script.js';

/**
 * How a person's actions become platform updates, and how what a fake
 * platform took becomes what each person saw. Shared by the chaos test and
 * the latency bench, so both speak the wire formats the same way.
 */

/** The messages a fake Bot API took for one chat, with the inline buttons each one had when sent. */
export function telegramShown(delivered: DeliveredMessage[], chatId: number): ShownMessage[] {
  return delivered
    .filter((message) => message.chatId === chatId)
    .map((message) => {
      const keyboard = (message.replyMarkup as { inline_keyboard?: unknown } | undefined)?.inline_keyboard;
      const buttons = Array.isArray(keyboard)
        ? (keyboard.flat() as Array<{ text?: unknown; callback_data?: unknown }>)
            .filter((button) => typeof button.callback_data === 'string')
            .map((button) => ({ label: String(button.text), data: String(button.callback_data) }))
        : [];
      return { text: message.text, buttons, id: message.messageId };
    });
}

/** Every postback action anywhere in a LINE message (quick reply items, Flex buttons, templates). */
function postbacks(value: unknown, found: ShownMessage['buttons'] = []): ShownMessage['buttons'] {
  if (Array.isArray(value)) {
    for (const item of value) postbacks(item, found);
  } else if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (record.type === 'postback' && typeof record.data === 'string')
      found.push({ label: String(record.label ?? record.displayText ?? ''), data: record.data });
    for (const child of Object.values(record)) postbacks(child, found);
  }
  return found;
}

/**
 * Who each message a fake LINE API took went to: a push names its user; a
 * reply is found by its request (the very message object the fake parsed)
 * and its reply token, which the test issued for one user's event.
 */
export function lineRecipients(
  delivered: DeliveredLineMessage[],
  calls: LineCall[],
  userOfReplyToken: (token: string) => string | undefined,
): Array<string | undefined> {
  const replyTokenOf = new Map<unknown, string>();
  for (const call of calls) {
    if (call.path !== '/v2/bot/message/reply') continue;
    for (const message of (call.body?.messages as unknown[] | undefined) ?? [])
      replyTokenOf.set(message, String(call.body?.replyToken));
  }
  return delivered.map((item) => {
    if (item.via === 'push') return item.to;
    const token = replyTokenOf.get(item.message);
    return token === undefined ? undefined : userOfReplyToken(token);
  });
}

export function lineShown(
  delivered: DeliveredLineMessage[],
  recipients: Array<string | undefined>,
  userId: string,
): ShownMessage[] {
  return delivered
    .filter((_item, index) => recipients[index] === userId)
    .map((item) => ({ text: item.message.text ?? item.message.altText ?? '', buttons: postbacks(item.message) }));
}

/** The button of the newest message that carries this value, as the platform sends it back when pressed. */
export function buttonData(shown: ShownMessage[], value: string): string {
  const button = shown.at(-1)?.buttons.find((candidate) => buttonValue(candidate.data) === value);
  if (!button) throw new Error(`no button "${value}" under the newest message`);
  return button.data;
}

/** A Telegram update for one person's action (a private chat), numbered by the caller. */
export function telegramUpdate(
  updateId: number,
  person: { chatId: number; language: string; name: string },
  action: PersonAction,
  shown: ShownMessage[],
): Record<string, unknown> {
  const from = { id: person.chatId, is_bot: false, first_name: person.name, language_code: person.language };
  const chat = { id: person.chatId, type: 'private', first_name: person.name };
  if (action.kind === 'press') {
    const newest = shown.at(-1);
    return {
      update_id: updateId,
      callback_query: {
        id: `cbq-${updateId}`,
        from,
        // The message the button is under, as Telegram sends it with the press.
        message: {
          message_id: newest?.id ?? 1,
          from: { id: 7_000_000_001, is_bot: true, first_name: 'Reportline' },
          chat,
          date: 1_763_800_000,
          text: newest?.text ?? '…',
        },
        chat_instance: `ci-${person.chatId}`,
        data: buttonData(shown, action.value),
      },
    };
  }
  const command = /^\/\w+/.exec(action.text)?.[0];
  return {
    update_id: updateId,
    message: {
      message_id: updateId,
      from,
      chat,
      date: 1_763_800_000,
      text: action.text,
      ...(command ? { entities: [{ offset: 0, length: command.length, type: 'bot_command' }] } : {}),
    },
  };
}

/** A LINE event for one person's action; `eventId` and `replyToken` are the caller's, unique per event. */
export function lineEvent(
  ids: { eventId: string; replyToken: string; messageId: string },
  userId: string,
  action: PersonAction,
  shown: ShownMessage[],
): Record<string, unknown> {
  const common = {
    webhookEventId: ids.eventId,
    deliveryContext: { isRedelivery: false },
    timestamp: Date.now(),
    source: { type: 'user', userId },
    replyToken: ids.replyToken,
    mode: 'active',
  };
  if (action.kind === 'press')
    return { ...common, type: 'postback', postback: { data: buttonData(shown, action.value) } };
  return {
    ...common,
    type: 'message',
    message: { id: ids.messageId, quoteToken: 'q', type: 'text', text: action.text },
  };
}
