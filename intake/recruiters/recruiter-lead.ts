import { z } from 'zod';
import { hasForbiddenCharacters } from '../report/clean-text.js';

/**
 * Where a message the person forwarded came from, or whose contact card they shared: often the recruiter's, whose
 * handle the person may not know. Kept in the report (`suspects.forwardedFrom`) so that two people who forward from
 * the same account are linked by it (recruiter-lead-indicators.ts).
 *
 * Telegram's shapes (Bot API `forward_origin`, `contact`): a user (MessageOriginUser: `sender_user` with its id), a
 * hidden user (MessageOriginHiddenUser: only the display name the sender chose, which anyone can copy, so it is kept
 * for staff to read and never links), a chat (MessageOriginChat: `sender_chat`), a channel (MessageOriginChannel:
 * `chat` and the post's `message_id`), and a contact card (`contact`: a phone number, and `user_id` when the card is
 * a Telegram user's). LINE gives none of these: its message events are text, image, video, audio, file, location
 * and sticker, with no forwarding origin and no contact type, so on LINE a recruiter is found only in the words.
 */
const leadText = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .refine((text) => !hasForbiddenCharacters(text), {
    message: 'Contains a control character or a bidirectional override',
    params: { code: 'invalid_characters' },
  });
/** Telegram ids fit in 52 bits; chats and channels are negative (-100…). */
const telegramId = z.number().int().safe();
const telegramUsername = z.string().regex(/^[A-Za-z][A-Za-z0-9_]{4,31}$/, 'Expected a Telegram username');

export const recruiterLeadSchema = z.discriminatedUnion('via', [
  z.strictObject({
    via: z.literal('telegram_user'),
    userId: telegramId,
    username: telegramUsername.optional(),
    name: leadText.optional(),
  }),
  z.strictObject({ via: z.literal('telegram_hidden_user'), name: leadText }),
  z.strictObject({
    via: z.literal('telegram_chat'),
    chatId: telegramId,
    username: telegramUsername.optional(),
    title: leadText.optional(),
  }),
  z.strictObject({
    via: z.literal('telegram_channel'),
    chatId: telegramId,
    username: telegramUsername.optional(),
    title: leadText.optional(),
    messageId: z.number().int().positive().safe().optional(),
  }),
  z.strictObject({
    via: z.literal('telegram_contact'),
    userId: telegramId.optional(),
    phone: z
      .string()
      .regex(/^\+?[\d\s-]{3,24}$/, 'Expected a phone number')
      .optional(),
    name: leadText.optional(),
  }),
]);

export type RecruiterLead = z.output<typeof recruiterLeadSchema>;
export const recruiterLeadVias = [
  'telegram_user',
  'telegram_hidden_user',
  'telegram_chat',
  'telegram_channel',
  'telegram_contact',
] as const;
