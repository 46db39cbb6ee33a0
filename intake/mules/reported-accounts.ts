import type { Kysely } from 'kysely';
import type { FieldCipher } from '../crypto/field-cipher.js';
import type { Indicator } from '../indicators/indicator.js';
import type { Database } from '../store/database.js';
import { contentContext, indicatorBlindIndex, indicatorsContext } from '../store/report-store.js';
import type { ReportContent } from '../report/report-schema.js';
import { paymentsToAccounts } from './payment-accounts.js';

/** An account several reports name: how many, and what was reported paid to it, per currency. */
export interface ReportedAccount {
  kind: string;
  /** The account as one of the reports wrote it, and normalized. */
  value: string;
  original: string;
  reports: number;
  /** Per currency: the sum of the payments the reports name to it, and how many reports paid in it. */
  losses: Array<{ currency: string; amount: number; reports: number }>;
  /** One of the reports, to open. */
  sampleReportId: string;
  sampleReference: string;
}

const bankKinds = ['iban', 'bank_account', 'crypto_address'] as const;

type Sample = { id: string; indicators_enc: string; content_enc: string };

/** The account as one report's indicators hold it, found by its blind index. */
function indexedAccountOf(cipher: FieldCipher, sample: Sample, row: { kind: string; value_hash: string }) {
  const indicators = cipher.decryptJson<Indicator[]>(sample.indicators_enc, indicatorsContext(sample.id));
  return indicators.find(
    (indicator) =>
      indicator.kind === row.kind && indicatorBlindIndex(cipher, indicator.kind, indicator.value) === row.value_hash,
  );
}

/** An e-wallet's number as one report's payment names it (payments read it apart from the indicators). */
function paidAccountOf(cipher: FieldCipher, sample: Sample, hash: string) {
  const content = cipher.decryptJson<ReportContent>(sample.content_enc, contentContext(sample.id));
  return paymentsToAccounts(content)
    .map((entry) => entry.account)
    .find((account) => indicatorBlindIndex(cipher, account.kind, account.value) === hash);
}

/**
 * The accounts (bank accounts, IBANs, wallets, and e-wallet numbers that payments went to) that at least
 * `minReports` distinct reports name, most reported first, counted and summed from the blind index and the
 * payments' amounts; reports marked as duplicates of another are not counted twice. Only one report per listed
 * account is decrypted, to show the account itself.
 */
export async function accountsReportedBySeveral(
  reads: { db: Kysely<Database>; cipher: FieldCipher },
  options: { minReports?: number; limit?: number } = {},
): Promise<ReportedAccount[]> {
  const { db, cipher } = reads;
  const minReports = options.minReports ?? 2;
  const [inIndex, paidTo] = await Promise.all([
    db
      .selectFrom('report_indicators')
      .innerJoin('reports', 'reports.id', 'report_indicators.report_id')
      .select((eb) => [
        'report_indicators.kind',
        'report_indicators.value_hash',
        eb.fn.count<number | string>('report_indicators.report_id').distinct().as('reports'),
        eb.fn.min('report_indicators.report_id').as('sample'),
      ])
      .where('reports.status', '<>', 'duplicate')
      .where('report_indicators.kind', 'in', bankKinds)
      .groupBy(['report_indicators.kind', 'report_indicators.value_hash'])
      .having((eb) => eb.fn.count('report_indicators.report_id').distinct(), '>=', minReports)
      .execute(),
    // An e-wallet's number is an account only where a payment went to it; as a suspect's phone it is someone's number.
    db
      .selectFrom('account_payments')
      .innerJoin('reports', 'reports.id', 'account_payments.report_id')
      .select((eb) => [
        'account_payments.account_kind as kind',
        'account_payments.account_hash as value_hash',
        eb.fn.count<number | string>('account_payments.report_id').distinct().as('reports'),
        eb.fn.min('account_payments.report_id').as('sample'),
      ])
      .where('reports.status', '<>', 'duplicate')
      .where('account_payments.account_kind', '=', 'phone')
      .groupBy(['account_payments.account_kind', 'account_payments.account_hash'])
      .having((eb) => eb.fn.count('account_payments.report_id').distinct(), '>=', minReports)
      .execute(),
  ]);
  const counted = [...inIndex, ...paidTo]
    .map((row) => ({ ...row, reports: Number(row.reports), sample: String(row.sample) }))
    .sort((a, b) => b.reports - a.reports || a.value_hash.localeCompare(b.value_hash))
    .slice(0, options.limit ?? 100);
  if (counted.length === 0) return [];
  const hashes = counted.map((row) => row.value_hash);
  const [losses, samples] = await Promise.all([
    db
      .selectFrom('account_payments')
      .innerJoin('reports', 'reports.id', 'account_payments.report_id')
      .select((eb) => [
        'account_payments.account_hash',
        'account_payments.currency',
        eb.fn.sum<number | string>('account_payments.amount').as('amount'),
        eb.fn.count<number | string>('account_payments.report_id').distinct().as('reports'),
      ])
      .where('reports.status', '<>', 'duplicate')
      .where('account_payments.account_hash', 'in', hashes)
      .groupBy(['account_payments.account_hash', 'account_payments.currency'])
      .orderBy('account_payments.currency')
      .execute(),
    db
      .selectFrom('reports')
      .select(['id', 'reference', 'indicators_enc', 'content_enc'])
      .where(
        'id',
        'in',
        counted.map((row) => row.sample),
      )
      .execute(),
  ]);
  const sampleById = new Map(samples.map((row) => [row.id, row]));
  return counted.map((row) => {
    const sample = sampleById.get(row.sample)!;
    const account =
      row.kind === 'phone' ? paidAccountOf(cipher, sample, row.value_hash) : indexedAccountOf(cipher, sample, row);
    return {
      kind: row.kind,
      value: account?.value ?? '',
      original: account?.original ?? '',
      reports: row.reports,
      losses: losses
        .filter((loss) => loss.account_hash === row.value_hash)
        .map((loss) => ({
          currency: loss.currency,
          // Summed as reported: money is shown to two decimals, never compared by equality.
          amount: Math.round(Number(loss.amount) * 100) / 100,
          reports: Number(loss.reports),
        })),
      sampleReportId: sample.id,
      sampleReference: sample.reference,
    };
  });
}
