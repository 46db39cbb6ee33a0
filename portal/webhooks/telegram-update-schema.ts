import { z } from 'zod';

/**
 * An update posted to the webhook, in the Bot API's wire format
 * (https://core.telegram.org/bots/api#update). It is checked before the bot
 * sees it, so that an update of the wrong shape is refused at the edge
 * instead of failing inside the bot, again at every redelivery.
 *
 * What is checked: update_id, and in the update kinds that carry a message or
 * a callback query, every field bots/telegram/telegram-bot.ts (and telegraf's
 * ctx.chat, ctx.from and ctx.callbackQuery, which it uses) reads, with its
 * type; other documented fields of those objects are checked for their type
 * when present. Fields Telegram adds, and update kinds the bot does not
 * handle (message_reaction, chat_member, …), pass through: telegraf ignores
 * them, and they are answered 200.
 */

const user = z.looseObject({
  id: z.number().int(),
  is_bot: z.boolean().optional(),
  first_name: z.string().optional(),
  username: z.string().optional(),
  language_code: z.string().optional(),
});

const chat = z.looseObject({ id: z.number().int(), type: z.string() });

const fileSize = z.number().int().nonnegative().optional();

/** A file the bot may download: photo sizes, documents, videos, voice notes, … */
const file = z.looseObject({ file_id: z.string().min(1), file_unique_id: z.string().optional(), file_size: fileSize });
const namedFile = file.extend({ file_name: z.string().optional() });

const entities = z
  .array(z.looseObject({ type: z.string(), offset: z.number().int(), length: z.number().int() }))
  .optional();

/** A message, or an inaccessible one (date 0, only chat and message_id), as callback queries may carry. */
const message = z.looseObject({
  message_id: z.number().int(),
  date: z.number().int(),
  chat,
  from: user.optional(),
  text: z.string().optional(),
  entities,
  caption: z.string().optional(),
  caption_entities: entities,
  photo: z.array(file).optional(),
  document: namedFile.optional(),
  video: namedFile.optional(),
  audio: namedFile.optional(),
  animation: namedFile.optional(),
  voice: file.optional(),
  video_note: file.optional(),
  sticker: file.optional(),
  location: z.looseObject({ latitude: z.number(), longitude: z.number() }).optional(),
  contact: z
    .looseObject({ phone_number: z.string(), first_name: z.string(), last_name: z.string().optional() })
    .optional(),
  /** Photos and videos sent together share it. */
  media_group_id: z.string().optional(),
});

const callbackQuery = z.looseObject({
  id: z.string().min(1),
  from: user,
  message: message.optional(),
  inline_message_id: z.string().optional(),
  chat_instance: z.string().optional(),
  data: z.string().optional(),
  game_short_name: z.string().optional(),
});

export const telegramUpdateSchema = z.looseObject({
  update_id: z.number().int().nonnegative(),
  message: message.optional(),
  edited_message: message.optional(),
  channel_post: message.optional(),
  edited_channel_post: message.optional(),
  business_message: message.optional(),
  edited_business_message: message.optional(),
  callback_query: callbackQuery.optional(),
});

/** The update exactly as Telegram sent it, or undefined when it does not have the Bot API's shape. */
export function telegramUpdateOf(body: unknown): { update_id: number } | undefined {
  return telegramUpdateSchema.safeParse(body).success ? (body as { update_id: number }) : undefined;
}
