import { sql, type Kysely } from 'kysely';
import type { FieldCipher } from '../crypto/field-cipher.js';
import type { Indicator, IndicatorKind } from '../indicators/indicator.js';
import type { Database } from '../store/database.js';
import { dialectKindOf } from '../store/dialect/dialect-kind.js';
import { indicatorBlindIndex, indicatorsContext } from '../store/report-store.js';
import { periodBounds, type DashboardPeriod } from './dashboard-period.js';
import { reportInScope, type DashboardScope } from './dashboard-scope.js';

/**
 * The lists of the most-reported things, each a few kinds of indicator read
 * as one: a bank account is an IBAN or a bank's local number, a phone is
 * also its WhatsApp; a site is its registrable domain (a link yields its
 * URL and its domain, which would count it twice).
 */
export const indicatorGroups = {
  bank_accounts: ['iban', 'bank_account'],
  wallets: ['crypto_address'],
  phones: ['phone', 'whatsapp'],
  sites: ['domain'],
  messenger_accounts: ['telegram', 'line'],
} as const satisfies Record<string, readonly IndicatorKind[]>;
export type IndicatorGroup = keyof typeof indicatorGroups;

/** How many of each list a dashboard shows. */
export const mostReportedLimit = 10;
/** One report is not a pattern, and naming a value from one report brands it: a list starts at two. */
export const mostReportedMinimum = 2;

export interface MostReportedIndicator {
  group: IndicatorGroup;
  kind: IndicatorKind;
  /** What the viewer may read of the value: whole, or a phone with its middle hidden. */
  shown: string;
  /** The whole normalized value when the viewer may search for it (hotline staff, not a phone); else null. */
  searchValue: string | null;
  /** Distinct reports of the period (in the viewer's scope) carrying it. */
  reports: number;
}

/**
 * A phone number is a person's: it may be the victim's own phone the compound
 * took, or a family's. The dashboard shows its country code and last three
 * digits only, enough to tell two apart on the screen of a room; the case
 * and the search show it whole to those who may see it.
 */
export function maskPhone(value: string): string {
  const digits = value.replace(/^\+/, '');
  if (digits.length <= 6) return `+${'•'.repeat(digits.length)}`;
  const countryCode = digits.slice(0, digits.length > 10 ? 3 : 2);
  return `+${countryCode}${'•'.repeat(digits.length - countryCode.length - 3)}${digits.slice(-3)}`;
}

const phoneKinds: ReadonlySet<IndicatorKind> = new Set(indicatorGroups.phones);

/**
 * Per list, the values carried by the most distinct reports of the period, in
 * one grouped query over the blind index (ranked in SQL per list). It groups
 * by the blind index alone: the index is keyed by the kind
 * (`indicatorBlindIndex`), so one hash is one kind and `min(kind)` is that
 * kind. The kinds are picked by the lists' CASE, not by `kind in (...)`,
 * which makes the database seek the index once per kind per report (eight
 * seeks instead of one). Measured at 100,000 reports (SQLite, 12 weeks):
 * ≈ 60 ms before, ≈ 38 ms with both changes. Only the values shown are
 * decrypted: one report per value, a report the viewer may see (for an
 * agency, one of its own cases), never the period's reports.
 */
export async function mostReportedIndicators(
  parts: { db: Kysely<Database>; cipher: FieldCipher; ignoredHashes: readonly string[] },
  scope: DashboardScope,
  period: DashboardPeriod,
): Promise<MostReportedIndicator[]> {
  const { db, cipher } = parts;
  const { since, until } = periodBounds(period);
  const groupOfKind = sql.join(
    Object.entries(indicatorGroups).flatMap(([group, kinds]) => kinds.map((kind) => sql`when ${kind} then ${group}`)),
    sql` `,
  );
  const ignored = parts.ignoredHashes.length ? sql`and ri.value_hash not in (${sql.join(parts.ignoredHashes)})` : sql``;
  const { rows } = await sql<MostReportedRow>`
    select ranked.list, ranked.kind, ranked.value_hash, ranked.reports, ranked.sample from (
      select counted.*, row_number() over (
        partition by counted.list order by counted.reports desc, ${byteOrder(db, 'counted.value_hash')}
      ) as place
      from (
        select case min(ri.kind) ${groupOfKind} end as list, min(ri.kind) as kind, ri.value_hash,
          count(distinct ri.report_id) as reports, min(ri.report_id) as sample
        from reports
        inner join report_indicators ri on ri.report_id = reports.id
        where reports.created_at >= ${since} and reports.created_at < ${until}
          and (case ri.kind ${groupOfKind} end) is not null ${ignored}
          and ${reportInScope(scope, 'reports.id')}
        group by ri.value_hash
        having count(distinct ri.report_id) >= ${mostReportedMinimum}
      ) counted
    ) ranked
    where ranked.place <= ${mostReportedLimit}
    order by ranked.list, ranked.reports desc, ${byteOrder(db, 'ranked.value_hash')}`.execute(db);
  return shownMostReported({ db, cipher }, scope, rows);
}

/**
 * One row of a list before it is shown: a value (by its blind index) and
 * how many reports carry it, with one of them (`sample`, the smallest id) to
 * read the value from.
 */
export interface MostReportedRow {
  list: IndicatorGroup;
  kind: IndicatorKind;
  value_hash: string;
  reports: number | string;
  sample: string;
}

/**
 * Ties are broken by the blind index compared byte by byte, in both
 * databases (PostgreSQL would otherwise use the database's collation), so
 * the same values are listed whichever database and whichever way the
 * figures were counted (week by week, `week-figures.ts`).
 */
function byteOrder(db: Kysely<Database>, column: string) {
  return dialectKindOf(db) === 'postgres' ? sql`${sql.ref(column)} collate "C"` : sql.ref(column);
}

/**
 * The rows of the lists as the viewer reads them: only the values shown are
 * decrypted, from one report per value the viewer may see (`sample`), never
 * the period's reports.
 */
export async function shownMostReported(
  parts: { db: Kysely<Database>; cipher: FieldCipher },
  scope: DashboardScope,
  rows: readonly MostReportedRow[],
): Promise<MostReportedIndicator[]> {
  const { db, cipher } = parts;
  if (rows.length === 0) return [];

  const samples = await db
    .selectFrom('reports')
    .select(['id', 'indicators_enc'])
    .where('id', 'in', [...new Set(rows.map((row) => row.sample))])
    .execute();
  const valueByHash = new Map<string, string>();
  for (const sample of samples) {
    const indicators = cipher.decryptJson<Indicator[]>(sample.indicators_enc, indicatorsContext(sample.id));
    for (const indicator of indicators)
      valueByHash.set(indicatorBlindIndex(cipher, indicator.kind, indicator.value), indicator.value);
  }
  return rows.flatMap((row) => {
    const value = valueByHash.get(row.value_hash);
    // Indexed but no longer in its report (an amendment replaced it): nothing to show, so not listed.
    if (value === undefined) return [];
    const phone = phoneKinds.has(row.kind);
    return [
      {
        group: row.list,
        kind: row.kind,
        shown: phone ? maskPhone(value) : value,
        searchValue: scope.kind === 'hotline' && !phone ? value : null,
        reports: Number(row.reports),
      },
    ];
  });
}
