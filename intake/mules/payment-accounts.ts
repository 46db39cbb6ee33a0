import { fromField } from '../indicators/collect-report-indicators.js';
import type { Indicator, IndicatorKind } from '../indicators/indicator.js';
import { normalizeIndicator } from '../indicators/normalize-indicator.js';
import type { ReportContent } from '../report/report-schema.js';

/** What money can be sent to and a bank, an exchange or a wallet operator can freeze. */
export const accountKinds: ReadonlySet<IndicatorKind> = new Set<IndicatorKind>([
  'iban',
  'bank_account',
  'crypto_address',
  // An e-wallet's account is its owner's number (PromptPay, GCash): a phone a payment went to.
  'phone',
]);

type Payment = ReportContent['losses']['payments'][number];

export interface PaymentToAccount {
  index: number;
  payment: Payment;
  account: Indicator;
}

/** Which bank or network holds an account: the bank of `<bank>:<digits>`, the network of `tron:T…`. */
export function accountHolder(account: Pick<Indicator, 'kind' | 'value'>): string | null {
  if (account.kind === 'bank_account' || account.kind === 'crypto_address') {
    const holder = account.value.split(':')[0];
    return holder && holder !== account.value ? holder : null;
  }
  return null;
}

/** Each payment of a report that names the account it went to, with that account read as the report reads it. */
export function paymentsToAccounts(content: ReportContent): PaymentToAccount[] {
  const defaultCountry = content.victim.currentCountry ?? content.victim.residenceCountry ?? content.victim.nationality;
  return content.losses.payments.flatMap((payment, index) => {
    if (!payment.toAccount) return [];
    const source = `losses.payments.${index}.toAccount`;
    // An e-wallet is paid to its owner's number, which a bare run of digits would otherwise be read as an account.
    const wallet =
      payment.method === 'e_wallet'
        ? normalizeIndicator('phone', payment.toAccount, { source, ...(defaultCountry ? { defaultCountry } : {}) })
        : undefined;
    if (wallet) return [{ index, payment, account: wallet }];
    const account = fromField(
      'toAccount',
      payment.toAccount,
      `losses.payments.${index}.toAccount`,
      defaultCountry,
    ).find((indicator) => accountKinds.has(indicator.kind));
    return account ? [{ index, payment, account }] : [];
  });
}
