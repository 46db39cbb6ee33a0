import type { Indicator } from '../indicators/indicator.js';

export type SuspectList =
  'names' | 'phones' | 'messengerHandles' | 'emails' | 'websites' | 'bankAccounts' | 'wallets' | 'socialProfiles';

/**
 * Where an indicator found in free text belongs among a report's details
 * about the scammers, written the way the intake reads it back (a Telegram
 * handle with its @, a LINE id with its label). Amounts and transaction
 * hashes have no such place: an amount is a payment, a hash stays in the story, and a
 * salary a job ad offered is no one's account.
 */
export function suspectEntryFor(indicator: Indicator): { list: SuspectList; value: string } | undefined {
  switch (indicator.kind) {
    case 'phone':
      return { list: 'phones', value: indicator.value };
    case 'whatsapp':
      return { list: 'messengerHandles', value: `WhatsApp ${indicator.value}` };
    case 'telegram':
      return { list: 'messengerHandles', value: `@${indicator.value}` };
    case 'line':
      return { list: 'messengerHandles', value: `LINE: ${indicator.value}` };
    case 'crypto_address':
      return { list: 'wallets', value: indicator.original };
    case 'url':
    case 'domain':
      return { list: 'websites', value: indicator.value };
    case 'email':
      return { list: 'emails', value: indicator.value };
    case 'iban':
    case 'bank_account':
      return { list: 'bankAccounts', value: indicator.original };
    case 'amount':
    case 'salary':
    case 'crypto_tx':
      return undefined;
  }
}
