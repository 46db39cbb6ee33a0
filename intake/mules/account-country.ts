import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { banks } from '../indicators/banks.js';

/**
 * The country an account is held in, where the account itself says so: the bank's (intake/indicators/banks.ts),
 * an IBAN's first two letters, an e-wallet number's country code. A wallet on a blockchain is held nowhere.
 */
export function accountCountry(account: { kind: string; value: string }, bank: string | null): string | null {
  if (bank) {
    const known = banks.find((entry) => entry.slug === bank);
    if (known) return known.country;
  }
  if (account.kind === 'iban') return /^[A-Z]{2}/.test(account.value) ? account.value.slice(0, 2) : null;
  if (account.kind === 'phone') return parsePhoneNumberFromString(account.value)?.country ?? null;
  return null;
}
