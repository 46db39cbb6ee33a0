import type { FieldCipher } from '../crypto/field-cipher.js';
import type { Indicator } from '../indicators/indicator.js';
import { indicatorBlindIndex } from './report-store.js';

/**
 * The blind-index rows of a report's indicators: how reports sharing a value
 * find each other without the value being stored in the clear. A submission
 * writes them all; an amendment writes those it adds.
 */
export function indicatorIndexRows(cipher: FieldCipher, reportId: string, indicators: Indicator[], timestamp: string) {
  return indicators.map((indicator) => ({
    report_id: reportId,
    kind: indicator.kind,
    value_hash: indicatorBlindIndex(cipher, indicator.kind, indicator.value),
    validity: indicator.validity,
    created_at: timestamp,
  }));
}
