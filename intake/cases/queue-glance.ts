import type { Kysely } from 'kysely';
import type { FieldCipher } from '../crypto/field-cipher.js';
import { nonLinkingKinds, type Indicator, type IndicatorKind } from '../indicators/indicator.js';
import type { Database } from '../store/database.js';
import type { IndicatorLinks } from '../store/indicator-links.js';
import { indicatorBlindIndex, indicatorsContext } from '../store/report-store.js';

/** The indicator that ties a case to the most other reports: what a worker checks first. */
export interface StrongestShared {
  kind: IndicatorKind;
  value: string;
  /** How many linked reports carry it. */
  reports: number;
}

export interface LinkGlance {
  linkedCount: number;
  strongest: StrongestShared | null;
}

/**
 * When two indicators link as many reports, the kind that names a network
 * more surely wins: a wallet or an account is one person's, a domain may be
 * a shared host.
 */
const strength: readonly IndicatorKind[] = [
  'crypto_address',
  'iban',
  'bank_account',
  'crypto_tx',
  'phone',
  'whatsapp',
  'telegram',
  'line',
  'email',
  'url',
  'domain',
];
const rank = (kind: IndicatorKind) => {
  const index = strength.indexOf(kind);
  return index === -1 ? strength.length : index;
};

/**
 * Linked reports of a whole queue page at once, as `IndicatorLinks.linkedReports`
 * counts them for one case: reports sharing a linking indicator (not an
 * ignored one), plus those linked by hand, less those unlinked. It works on
 * blind indexes; a row's own indicators are decrypted only when it shares
 * one, to drop ignored values and name the strongest.
 */
export async function glanceAtLinks(
  parts: { db: Kysely<Database>; cipher: FieldCipher; links: Pick<IndicatorLinks, 'links'> },
  reportIds: string[],
): Promise<Map<string, LinkGlance>> {
  const { db, cipher } = parts;
  const glances = new Map<string, LinkGlance>(reportIds.map((id) => [id, { linkedCount: 0, strongest: null }]));
  if (reportIds.length === 0) return glances;
  const [sharing, overrides] = await Promise.all([
    db
      .selectFrom('report_indicators as own')
      .innerJoin('report_indicators as other', 'other.value_hash', 'own.value_hash')
      .select(['own.report_id as reportId', 'own.value_hash as valueHash', 'other.report_id as otherId'])
      .distinct()
      .where('own.report_id', 'in', reportIds)
      .where('own.kind', 'not in', [...nonLinkingKinds])
      .whereRef('other.report_id', '!=', 'own.report_id')
      .execute(),
    db
      .selectFrom('report_link_overrides')
      .select(['report_a as a', 'report_b as b', 'state'])
      .where((eb) => eb.or([eb('report_a', 'in', reportIds), eb('report_b', 'in', reportIds)]))
      .execute(),
  ]);

  const sharedBy = new Map<string, Map<string, Set<string>>>();
  for (const row of sharing) {
    const byHash = sharedBy.get(row.reportId) ?? new Map<string, Set<string>>();
    byHash.set(row.valueHash, (byHash.get(row.valueHash) ?? new Set()).add(row.otherId));
    sharedBy.set(row.reportId, byHash);
  }
  const sharingRows =
    sharedBy.size === 0
      ? []
      : await db
          .selectFrom('reports')
          .select(['id', 'indicators_enc'])
          .where('id', 'in', [...sharedBy.keys()])
          .execute();
  // A pair is stored once, in id order: the page's report may be either side of it.
  const overridesOf = (self: string, state: string) =>
    overrides
      .filter((override) => override.state === state && (override.a === self || override.b === self))
      .map((override) => (override.a === self ? override.b : override.a));
  const others = new Map<string, Set<string>>();
  for (const row of sharingRows) {
    const unlinked = new Set(overridesOf(row.id, 'unlinked'));
    const indicators = cipher.decryptJson<Indicator[]>(row.indicators_enc, indicatorsContext(row.id));
    const byHash = sharedBy.get(row.id)!;
    const linkedIds = new Set<string>();
    let strongest: StrongestShared | null = null;
    for (const indicator of indicators) {
      if (!parts.links.links(indicator)) continue;
      const carriers = [...(byHash.get(indicatorBlindIndex(cipher, indicator.kind, indicator.value)) ?? [])].filter(
        (id) => !unlinked.has(id),
      );
      if (carriers.length === 0) continue;
      for (const id of carriers) linkedIds.add(id);
      const candidate = { kind: indicator.kind, value: indicator.value, reports: carriers.length };
      if (
        !strongest ||
        candidate.reports > strongest.reports ||
        (candidate.reports === strongest.reports && rank(candidate.kind) < rank(strongest.kind))
      )
        strongest = candidate;
    }
    others.set(row.id, linkedIds);
    glances.set(row.id, { linkedCount: 0, strongest });
  }
  // Links by hand count whether or not the reports share anything.
  for (const self of reportIds) {
    const byHand = overridesOf(self, 'linked');
    if (byHand.length > 0) others.set(self, new Set([...(others.get(self) ?? []), ...byHand]));
  }
  for (const [id, linked] of others) glances.set(id, { ...glances.get(id)!, linkedCount: linked.size });
  return glances;
}
