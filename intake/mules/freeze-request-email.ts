import type { TFunction } from 'i18next';
import type { FreezeRequestView } from './freeze-requests.js';

/**
 * The e-mail a bank's fraud desk gets: what it needs to freeze the account (the account, the amount, when it was
 * paid, the transaction references) and the hotline's reference to answer to. Nothing about who reported it: the
 * bank acts on the account, and a victim's name on a mail crossing servers we do not control would only be a risk.
 */
export function renderFreezeRequestEmail(
  t: TFunction,
  request: FreezeRequestView,
  desk: { name: string },
): { subject: string; text: string } {
  const subject = t('freezeRequest.subject', { reference: request.reference });
  const lines = [
    t('freezeRequest.intro', { desk: desk.name }),
    '',
    t('freezeRequest.account', { account: request.account.value }),
    t('freezeRequest.accountAsWritten', { account: request.account.original }),
    t('freezeRequest.amount', { amount: String(request.amount), currency: request.currency }),
    t('freezeRequest.paidOn', { date: request.paidOn }),
    request.references.length > 0
      ? t('freezeRequest.transactionReferences', { references: request.references.join(', ') })
      : t('freezeRequest.noTransactionReference'),
    t('freezeRequest.reference', { reference: request.reference }),
    '',
    t('freezeRequest.ask'),
    '',
    t('freezeRequest.noReporterData'),
  ];
  return { subject, text: lines.join('\n') };
}
