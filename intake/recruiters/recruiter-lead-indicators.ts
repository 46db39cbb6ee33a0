import type { Indicator } from '../indicators/indicator.js';
import { normalizeTelegramUsername } from '../indicators/messenger-handles.js';
import { normalizePhone } from '../indicators/phone.js';
import type { RecruiterLead } from './recruiter-lead.js';

/**
 * A Telegram account by its numeric id, as a `telegram` indicator: `id:<number>`. Ids never change while usernames
 * do (and are given up and taken by others), so the id is what links two people who forwarded from one recruiter;
 * a username cannot be written as `id:…` (it starts with a letter), so the two never collide. A user's and a chat's
 * ids are one numbering (chats are negative), so a contact card's `user_id` and a forwarded message's
 * `sender_user.id` of the same person are the same indicator.
 */
export function telegramIdValue(id: number): string {
  return `id:${id}`;
}

function telegramAccount(id: number, username: string | undefined, source: string): Indicator[] {
  const found: Indicator[] = [
    { kind: 'telegram', value: telegramIdValue(id), original: `id ${id}`, validity: 'valid', source },
  ];
  const name = username ? normalizeTelegramUsername(username) : undefined;
  if (name) found.push({ kind: 'telegram', value: name, original: `@${username}`, validity: 'valid', source });
  return found;
}

/**
 * The linking indicators a lead gives. A hidden user gives none: Telegram withholds the account and passes only the
 * name its owner typed, which anyone can also type, so linking by it would tie strangers together; staff read it.
 */
export function recruiterLeadIndicators(lead: RecruiterLead, source: string, defaultCountry?: string): Indicator[] {
  switch (lead.via) {
    case 'telegram_user':
      return telegramAccount(lead.userId, lead.username, source);
    case 'telegram_chat':
    case 'telegram_channel':
      return telegramAccount(lead.chatId, lead.username, source);
    case 'telegram_hidden_user':
      return [];
    case 'telegram_contact': {
      const found: Indicator[] = lead.userId === undefined ? [] : telegramAccount(lead.userId, undefined, source);
      if (lead.phone) {
        // Telegram writes a card's number in international form, mostly without its "+".
        const digits = lead.phone.replace(/[\s-]/g, '');
        const phone = normalizePhone(digits.startsWith('+') ? digits : `+${digits}`, defaultCountry);
        if (phone)
          found.push({ kind: 'phone', value: phone.value, original: lead.phone, validity: phone.validity, source });
      }
      return found;
    }
  }
}
