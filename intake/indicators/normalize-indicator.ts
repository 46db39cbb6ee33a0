// INTERIM (lead): replaced by the indicator engineer's full implementation.
import type { Indicator, IndicatorKind } from './indicator.js';

export function normalizeIndicator(kind: IndicatorKind, raw: string, _options: { defaultCountry?: string } = {}): Indicator | undefined {
  const trimmed = raw.trim();
  if (!trimmed) return undefined;
  const value = kind === 'phone' ? trimmed.replace(/[^\d+]/g, '') : kind === 'crypto_address' ? trimmed : trimmed.toLowerCase();
  return { kind, value, original: raw, validity: 'plausible', source: 'lookup' };
}
