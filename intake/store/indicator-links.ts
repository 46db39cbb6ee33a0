import type { Kysely } from 'kysely';
import type { FieldCipher } from '../crypto/field-cipher.js';
import { IgnoredIndicators } from '../indicators/ignored-indicators.js';
import { nonLinkingKinds, type Indicator, type IndicatorKind } from '../indicators/indicator.js';
import type { Database } from './database.js';
import { indicatorBlindIndex, indicatorsContext } from './report-store.js';

export interface LinkedReport {
  reportId: string;
  reference: string;
  createdAt: string;
  /** The indicators this report shares with the one asked about. */
  shared: Array<{ kind: IndicatorKind; value: string }>;
  /** Linked by a person (with or without a shared indicator), rather than by what the reports share. */
  byHand?: boolean;
}

export type LinkOverride = 'linked' | 'unlinked';

export interface ReportCarryingIndicator {
  reportId: string;
  reference: string;
  createdAt: string;
  validity: string;
}

/** SQLite allows 32,766 bound parameters; a report has far fewer indicators than this. */
const maxHashesPerQuery = 500;

/**
 * Links between reports that share an indicator: two victims who paid the same
 * wallet or were called from the same number are one case for an
 * investigator. Every lookup goes through the blind-index index on
 * report_indicators, so its cost does not grow with the number of reports.
 */
export class IndicatorLinks {
  readonly #db: Kysely<Database>;
  readonly #cipher: FieldCipher;
  readonly #ignored: IgnoredIndicators;

  constructor(dependencies: { db: Kysely<Database>; cipher: FieldCipher; ignored?: IgnoredIndicators }) {
    this.#db = dependencies.db;
    this.#cipher = dependencies.cipher;
    this.#ignored = dependencies.ignored ?? new IgnoredIndicators();
  }

  /** Whether this indicator may link reports at all. */
  links(indicator: Pick<Indicator, 'kind' | 'value'>): boolean {
    return !nonLinkingKinds.has(indicator.kind) && !this.#ignored.has(indicator);
  }

  /**
   * Every other report linked to this one, oldest first: those sharing at
   * least one linking indicator, and those a person linked by hand, less
   * those a person unlinked.
   */
  async linkedReports(reportId: string): Promise<LinkedReport[]> {
    const [byIndicator, overrides] = await Promise.all([
      this.#sharingIndicators(reportId),
      this.#overridesOf(reportId),
    ]);
    const linked = new Map(byIndicator.map((entry) => [entry.reportId, entry]));
    for (const override of overrides) {
      if (override.state === 'unlinked') linked.delete(override.otherId);
      else
        linked.set(override.otherId, {
          ...(linked.get(override.otherId) ?? {
            reportId: override.otherId,
            reference: override.reference,
            createdAt: override.createdAt,
            shared: [],
          }),
          byHand: true,
        });
    }
    return [...linked.values()].sort(
      (a, b) => a.createdAt.localeCompare(b.createdAt) || a.reference.localeCompare(b.reference),
    );
  }

  async #overridesOf(
    reportId: string,
  ): Promise<Array<{ otherId: string; reference: string; createdAt: string; state: LinkOverride }>> {
    // A pair is stored once, in id order: this report may be either side of it.
    const sides = [
      { self: 'report_a', other: 'report_b' },
      { self: 'report_b', other: 'report_a' },
    ] as const;
    const found = await Promise.all(
      sides.map(({ self, other }) =>
        this.#db
          .selectFrom('report_link_overrides')
          .innerJoin('reports', 'reports.id', `report_link_overrides.${other}`)
          .select(['reports.id', 'reports.reference', 'reports.created_at', 'report_link_overrides.state'])
          .where(`report_link_overrides.${self}`, '=', reportId)
          .execute(),
      ),
    );
    return found.flat().map((row) => ({
      otherId: row.id,
      reference: row.reference,
      createdAt: row.created_at,
      state: row.state as LinkOverride,
    }));
  }

  async #sharingIndicators(reportId: string): Promise<LinkedReport[]> {
    const row = await this.#db
      .selectFrom('reports')
      .select('indicators_enc')
      .where('id', '=', reportId)
      .executeTakeFirst();
    if (!row) return [];
    const indicators = this.#cipher.decryptJson<Indicator[]>(row.indicators_enc, indicatorsContext(reportId));
    const byHash = new Map<string, { kind: IndicatorKind; value: string }>();
    for (const indicator of indicators) {
      if (!this.links(indicator)) continue;
      byHash.set(indicatorBlindIndex(this.#cipher, indicator.kind, indicator.value), {
        kind: indicator.kind,
        value: indicator.value,
      });
    }
    const hashes = [...byHash.keys()];
    const linked = new Map<string, LinkedReport>();
    for (let start = 0; start < hashes.length; start += maxHashesPerQuery) {
      const rows = await this.#db
        .selectFrom('report_indicators')
        .innerJoin('reports', 'reports.id', 'report_indicators.report_id')
        .select([
          'reports.id as reportId',
          'reports.reference',
          'reports.created_at as createdAt',
          'report_indicators.value_hash',
        ])
        .where('report_indicators.value_hash', 'in', hashes.slice(start, start + maxHashesPerQuery))
        .where('report_indicators.report_id', '!=', reportId)
        .execute();
      for (const match of rows) {
        const entry = linked.get(match.reportId) ?? {
          reportId: match.reportId,
          reference: match.reference,
          createdAt: match.createdAt,
          shared: [],
        };
        const shared = byHash.get(match.value_hash);
        if (shared && !entry.shared.some((item) => item.kind === shared.kind && item.value === shared.value)) {
          entry.shared.push(shared);
        }
        linked.set(match.reportId, entry);
      }
    }
    return [...linked.values()];
  }

  /** Every report carrying this (already normalized) indicator, oldest first. */
  async reportsCarrying(kind: IndicatorKind, value: string, limit = 500): Promise<ReportCarryingIndicator[]> {
    const rows = await this.#db
      .selectFrom('report_indicators')
      .innerJoin('reports', 'reports.id', 'report_indicators.report_id')
      .select([
        'reports.id as reportId',
        'reports.reference',
        'reports.created_at as createdAt',
        'report_indicators.validity',
      ])
      .where('report_indicators.value_hash', '=', indicatorBlindIndex(this.#cipher, kind, value))
      .orderBy('reports.created_at')
      .limit(limit)
      .execute();
    return rows;
  }
}
