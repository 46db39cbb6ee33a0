import { findAmounts } from './amount.js';
import { findBankAccounts, findIbans } from './bank-account.js';
import { countriesMentioned } from './country-mentions.js';
import { findCrypto } from './find-crypto.js';
import { uniqueIndicators } from './unique-indicators.js';
import type { Indicator } from './indicator.js';
import { findMessengerHandles } from './messenger-handles.js';
import { findPhones } from './phone.js';
import { ClaimedSpans } from './text-spans.js';
import { findEmails, findWebAddresses } from './web-addresses.js';
import { asPassesRead } from './written-forms.js';

/**
 * Every indicator in a piece of free text (a narrative, a chat message, a
 * pasted conversation), normalized. The passes run from the most to the
 * least specific shape, each claiming what it read, so that the digits of a
 * bank account or a wallet are never also read as a phone number.
 */
export function extractIndicators(written: string, options: { source: string; defaultCountry?: string }): Indicator[] {
  // A number typed in Burmese, Khmer, Thai, Lao, Arabic or full-width digits is the same number,
  // and a defanged link (hxxps://site[.]com) the same link.
  const text = asPassesRead(written);
  const claimed = new ClaimedSpans();
  const { source } = options;
  const regions = [
    ...new Set(
      [options.defaultCountry?.toUpperCase(), ...countriesMentioned(text)].filter((code) => code !== undefined),
    ),
  ];
  const found = [
    ...findEmails(text, claimed, source),
    ...findMessengerHandles(text, claimed, source),
    ...findWebAddresses(text, claimed, source),
    ...findCrypto(text, claimed, source),
    ...findIbans(text, claimed, source),
    ...findBankAccounts(text, claimed, source),
    ...findAmounts(text, claimed, source, options.defaultCountry?.toUpperCase()),
    ...findPhones(text, regions, claimed, source),
  ];
  return uniqueIndicators(found);
}
