import type { Kysely } from 'kysely';
import type { FieldCipher } from '../crypto/field-cipher.js';
import type { Indicator, IndicatorKind } from '../indicators/indicator.js';
import type { Database } from '../store/database.js';
import { indicatorBlindIndex, indicatorsContext } from '../store/report-store.js';

/**
 * The normalized values behind blind indexes, for staff: read from one report
 * carrying each (its indicators are encrypted in its row), since the index
 * table holds hashes only.
 */
export async function indicatorValuesOf(
  parts: { db: Kysely<Database>; cipher: FieldCipher },
  valueHashes: readonly string[],
): Promise<Map<string, { kind: IndicatorKind; value: string }>> {
  const values = new Map<string, { kind: IndicatorKind; value: string }>();
  if (valueHashes.length === 0) return values;
  const carriers = await parts.db
    .selectFrom('report_indicators')
    .select(['value_hash', (eb) => eb.fn.min('report_id').as('report_id')])
    .where('value_hash', 'in', [...valueHashes])
    .groupBy('value_hash')
    .execute();
  const reportIds = [...new Set(carriers.map((row) => row.report_id))];
  if (reportIds.length === 0) return values;
  const rows = await parts.db
    .selectFrom('reports')
    .select(['id', 'indicators_enc'])
    .where('id', 'in', reportIds)
    .execute();
  const wanted = new Set(valueHashes);
  for (const row of rows) {
    for (const indicator of parts.cipher.decryptJson<Indicator[]>(row.indicators_enc, indicatorsContext(row.id))) {
      const hash = indicatorBlindIndex(parts.cipher, indicator.kind, indicator.value);
      if (wanted.has(hash) && !values.has(hash)) values.set(hash, { kind: indicator.kind, value: indicator.value });
    }
  }
  return values;
}
