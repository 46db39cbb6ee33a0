import { formatAmount } from './amount.js';
import { normalizeBankAccount, normalizeIban } from './bank-account.js';
import { checkCryptoAddress } from './crypto-address.js';
import { extractIndicators } from './extract-indicators.js';
import { normalizeTransactionHash } from './find-crypto.js';
import type { Indicator, IndicatorKind } from './indicator.js';
import { normalizeLineId, normalizeTelegramUsername } from './messenger-handles.js';
import { normalizePhone } from './phone.js';
import { isPublicAddressHost, normalizeEmail, normalizeUrl, registrableDomain } from './web-addresses.js';

type Normalized = Pick<Indicator, 'value' | 'validity'>;

/** Values already normalized carry their network or bank in front ("tron:T…", "kb-kookmin:123…"). */
function withoutPrefix(raw: string, prefixes: RegExp): string {
  return raw.trim().replace(prefixes, '');
}

const normalizers: Record<IndicatorKind, (raw: string, defaultCountry: string | undefined) => Normalized | undefined> =
  {
    phone: (raw, country) => normalizePhone(raw, country),
    whatsapp: (raw, country) => normalizePhone(raw.replace(/^.*wa\.me\//i, '+'), country),
    crypto_address: (raw) => {
      const address = withoutPrefix(raw, /^(?:tron|bitcoin|evm|ethereum):/i);
      return checkCryptoAddress(address);
    },
    crypto_tx: (raw) => {
      const value = normalizeTransactionHash(raw);
      return value ? { value, validity: 'plausible' } : undefined;
    },
    url: (raw) => {
      const value = normalizeUrl(raw.trim());
      if (!value) return undefined;
      const host = new URL(value).hostname;
      return registrableDomain(host) || isPublicAddressHost(host) ? { value, validity: 'valid' } : undefined;
    },
    domain: (raw) => {
      const host =
        raw
          .trim()
          .replace(/^[a-z]+:\/\//i, '')
          .split(/[/?#]/)[0] ?? '';
      const value = registrableDomain(host);
      return value ? { value, validity: 'valid' } : undefined;
    },
    email: (raw) => {
      const value = normalizeEmail(raw);
      return value ? { value, validity: 'valid' } : undefined;
    },
    telegram: (raw) => {
      // An account by its numeric id, as a forwarded message gives it (recruiter-lead-indicators.ts).
      const id = /^id:(-?\d{1,16})$/i.exec(raw.trim());
      if (id) return { value: `id:${id[1]}`, validity: 'valid' };
      const value = normalizeTelegramUsername(raw);
      return value ? { value, validity: 'plausible' } : undefined;
    },
    line: (raw) => {
      const value = normalizeLineId(raw);
      return value ? { value, validity: 'plausible' } : undefined;
    },
    iban: (raw) => normalizeIban(raw),
    bank_account: (raw) => {
      const prefixed = /^([a-z0-9-]+):(\d{6,20})$/.exec(raw.trim());
      if (prefixed) return { value: `${prefixed[1]}:${prefixed[2]}`, validity: 'plausible' };
      const value = normalizeBankAccount(raw);
      return value ? { value, validity: 'plausible' } : undefined;
    },
    amount: (raw) => normalizeMoney(raw),
    salary: (raw) => normalizeMoney(raw),
  };

/** An amount or a salary: the same "<decimal> <CURRENCY>" however the text around it calls it. */
function normalizeMoney(raw: string): Normalized | undefined {
  const match = /^(\d+(?:\.\d+)?)\s+([A-Z0-9-]{2,16})$/.exec(raw.trim());
  if (match) return { value: `${formatAmount(Number(match[1]))} ${match[2]}`, validity: 'plausible' };
  const found = extractIndicators(raw, { source: 'lookup' }).find(
    (indicator) => indicator.kind === 'amount' || indicator.kind === 'salary',
  );
  return found ? { value: found.value, validity: found.validity } : undefined;
}

/**
 * One value of a known kind, normalized exactly as extraction does, so a
 * lookup by an analyst (`+855 12 345 678`) finds what a report stored
 * (`+85512345678`). Normalizing a normalized value gives it back unchanged.
 */
export function normalizeIndicator(
  kind: IndicatorKind,
  raw: string,
  options: { defaultCountry?: string; source?: string } = {},
): Indicator | undefined {
  const normalized = normalizers[kind](raw, options.defaultCountry?.toUpperCase());
  return normalized ? { kind, ...normalized, original: raw, source: options.source ?? 'lookup' } : undefined;
}
