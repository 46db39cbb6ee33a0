import { z } from 'zod';

/**
 * A bank's (or an e-wallet operator's, or an exchange's) fraud desk: where the hotline sends a request to freeze an
 * account that a victim paid recently. None is shipped: a desk's address must come from the bank itself, so each
 * deployment names the desks it has agreed with in its directory file (`fraudDesks`, REPORTLINE_DIRECTORY_FILE).
 */
export const fraudDeskSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]{2,40}$/, 'Expected a lower-case id such as kb-kookmin-fraud'),
  name: z.string().trim().min(1).max(200),
  /**
   * The accounts it handles: bank slugs as the indicators write them (`kb-kookmin`, `kasikorn`, `truemoney`; see
   * intake/indicators/banks.ts) or wallet networks (`tron`, `ethereum`).
   */
  accounts: z.array(z.string().regex(/^[a-z0-9-]{2,40}$/, 'Expected a bank slug such as kb-kookmin')).min(1),
  email: z.strictObject({ to: z.array(z.email()).min(1).max(10) }),
  /** The language of the requests it receives. */
  language: z.string().min(2).max(3).optional(),
  /** Where the desk's address was taken from (an agreement, the bank's published page), for whoever checks it. */
  source: z.string().min(1),
});

export type FraudDesk = z.output<typeof fraudDeskSchema>;

/** The desk that handles an account held at `bank` (a slug or a network), if the directory has one. */
export function fraudDeskFor(desks: readonly FraudDesk[], bank: string | null): FraudDesk | undefined {
  return bank ? desks.find((desk) => desk.accounts.includes(bank)) : undefined;
}
