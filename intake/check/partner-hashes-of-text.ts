import type { FieldCipher } from '../crypto/field-cipher.js';
import type { IndicatorKind } from '../indicators/indicator.js';
import { checkedIndicatorsOf } from './checked-indicators.js';
import { partnerHash } from './partner-hash.js';

/**
 * What a partner must compute for a text, normalized exactly as a check
 * normalizes it: for an operator to show a partner's developers what their
 * normalization must yield (`reportline check hash "…"`).
 */
export function partnerHashesOfText(
  cipher: FieldCipher,
  text: string,
  countryHint: string | undefined,
): Array<{ kind: IndicatorKind; value: string; hash: string }> {
  const key = cipher.checkPartnerKey();
  return checkedIndicatorsOf(text, countryHint).map((indicator) => ({
    kind: indicator.kind,
    value: indicator.value,
    hash: partnerHash(key, indicator.kind, indicator.value),
  }));
}
