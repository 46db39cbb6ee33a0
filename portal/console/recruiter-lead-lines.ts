import type { TFunction } from 'i18next';
import type { RecruiterLead } from '../../intake/recruiters/recruiter-lead.js';

/**
 * Whom forwarded messages and shared contact cards came from, one line each, for staff and agencies: the kind of
 * account in words, then what Telegram gave (names and titles as they were, @username, the numeric id). A hidden
 * user's line says that its name links nothing: Telegram withholds the account and anyone can take that name.
 */
export function recruiterLeadLines(t: TFunction, leads: readonly RecruiterLead[] | undefined): string | undefined {
  if (!leads || leads.length === 0) return undefined;
  return leads
    .map((lead) => {
      const parts: Array<string | undefined> = [];
      switch (lead.via) {
        case 'telegram_user':
          parts.push(lead.name, lead.username ? `@${lead.username}` : undefined, `id ${lead.userId}`);
          break;
        case 'telegram_hidden_user':
          parts.push(`“${lead.name}”`, t('recruiters.hiddenNote'));
          break;
        case 'telegram_chat':
          parts.push(lead.title, lead.username ? `@${lead.username}` : undefined, `id ${lead.chatId}`);
          break;
        case 'telegram_channel':
          parts.push(
            lead.title,
            lead.username ? `@${lead.username}` : undefined,
            `id ${lead.chatId}`,
            lead.messageId === undefined ? undefined : t('recruiters.post', { number: String(lead.messageId) }),
          );
          break;
        case 'telegram_contact':
          parts.push(lead.name, lead.phone, lead.userId === undefined ? undefined : `id ${lead.userId}`);
          break;
      }
      return `${t(`recruiters.via.${lead.via}`)}: ${parts.filter(Boolean).join(' · ')}`;
    })
    .join('\n');
}
