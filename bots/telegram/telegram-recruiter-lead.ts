import { z } from 'zod';
import { recruiterLeadSchema, type RecruiterLead } from '../../intake/recruiters/recruiter-lead.js';

/** The parts of Telegram's `forward_origin` and `contact` read here (Bot API MessageOrigin*, Contact). */
const chatShape = z.object({ id: z.number(), username: z.string().optional(), title: z.string().optional() });
const originShape = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('user'),
    sender_user: z.object({
      id: z.number(),
      username: z.string().optional(),
      first_name: z.string().optional(),
      last_name: z.string().optional(),
    }),
  }),
  z.object({ type: z.literal('hidden_user'), sender_user_name: z.string() }),
  z.object({ type: z.literal('chat'), sender_chat: chatShape }),
  z.object({ type: z.literal('channel'), chat: chatShape, message_id: z.number().optional() }),
]);
const contactShape = z.object({
  phone_number: z.string(),
  first_name: z.string().optional(),
  last_name: z.string().optional(),
  user_id: z.number().optional(),
});

const joined = (...parts: Array<string | undefined>) => parts.filter(Boolean).join(' ').slice(0, 200) || undefined;

/** The lead as the report keeps it; a field Telegram gave in a shape we do not keep is left out, never the lead. */
function valid(candidate: Record<string, unknown>): RecruiterLead | undefined {
  const parsed = recruiterLeadSchema.safeParse(candidate);
  if (parsed.success) return parsed.data;
  // Drop the optional parts that failed (a name with a control character, an old short username) and try once more.
  const failed = new Set(parsed.error.issues.map((issue) => String(issue.path[0])));
  const kept = Object.fromEntries(Object.entries(candidate).filter(([key]) => !failed.has(key) || key === 'via'));
  const again = recruiterLeadSchema.safeParse(kept);
  return again.success ? again.data : undefined;
}

/** Whom a forwarded message came from, or whose contact card was shared, from the message as Telegram sent it. */
export function telegramRecruiterLead(message: Record<string, unknown>): RecruiterLead | undefined {
  if (message.contact !== undefined) {
    const contact = contactShape.safeParse(message.contact);
    if (!contact.success) return undefined;
    const { phone_number: phone, user_id: userId, first_name: first, last_name: last } = contact.data;
    return valid({ via: 'telegram_contact', phone, userId, name: joined(first, last) });
  }
  if (message.forward_origin === undefined) return undefined;
  const origin = originShape.safeParse(message.forward_origin);
  if (!origin.success) return undefined;
  const from = origin.data;
  switch (from.type) {
    case 'user':
      return valid({
        via: 'telegram_user',
        userId: from.sender_user.id,
        username: from.sender_user.username,
        name: joined(from.sender_user.first_name, from.sender_user.last_name),
      });
    case 'hidden_user':
      return valid({ via: 'telegram_hidden_user', name: joined(from.sender_user_name) });
    case 'chat':
      return valid({
        via: 'telegram_chat',
        chatId: from.sender_chat.id,
        username: from.sender_chat.username,
        title: joined(from.sender_chat.title),
      });
    case 'channel':
      return valid({
        via: 'telegram_channel',
        chatId: from.chat.id,
        username: from.chat.username,
        title: joined(from.chat.title),
        messageId: from.message_id,
      });
  }
}
