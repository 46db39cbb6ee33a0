import type { ReportContent } from '../report/report-schema.js';
import { extractIndicators } from './extract-indicators.js';
import { uniqueIndicators } from './unique-indicators.js';
import { nonLinkingKinds, type Indicator, type IndicatorKind } from './indicator.js';
import { isPlatformDomain } from './platform-domains.js';
import { normalizeIndicator } from './normalize-indicator.js';
import { recruiterLeadIndicators } from '../recruiters/recruiter-lead-indicators.js';

/**
 * The kinds a structured field may hold, tried in order. A messenger handle
 * may be a Telegram username, a LINE id or a WhatsApp link; a bank account an
 * IBAN or a local number; a payment's destination any of those or a wallet.
 */
const fieldKinds: Record<string, IndicatorKind[]> = {
  phones: ['phone'],
  wallets: ['crypto_address'],
  emails: ['email'],
  websites: ['url', 'domain'],
  socialProfiles: ['url', 'domain'],
  messengerHandles: ['whatsapp', 'telegram', 'line'],
  bankAccounts: ['iban', 'bank_account'],
  toAccount: ['crypto_address', 'iban', 'bank_account', 'phone'],
  transactionHash: ['crypto_tx'],
};

/** What to keep when a reporter's value fits no known shape: nothing they gave is dropped. */
const fallbackKind: Record<string, IndicatorKind> = {
  phones: 'phone',
  wallets: 'crypto_address',
  emails: 'email',
  messengerHandles: 'telegram',
  bankAccounts: 'bank_account',
  transactionHash: 'crypto_tx',
};

/** The indicators one value of a structured field holds, as the report reads it (an amendment checks what it adds). */
export function fromField(field: string, raw: string, source: string, defaultCountry: string | undefined): Indicator[] {
  const options = { source, ...(defaultCountry ? { defaultCountry } : {}) };
  const kinds = fieldKinds[field] ?? [];
  if (field === 'messengerHandles' && /line/i.test(raw) && !/line\.me/i.test(raw)) {
    // "LINE: abc123": the label says which messenger.
    const line = normalizeIndicator('line', raw.replace(/^.*?line\s*(?:id)?\s*[:：]?\s*/i, ''), options);
    if (line) return [line];
  }
  for (const kind of kinds) {
    const indicator = normalizeIndicator(kind, raw, options);
    if (!indicator) continue;
    // A link names both the page and the site.
    if (kind === 'url') {
      const domain = normalizeIndicator('domain', raw, options);
      // A profile on a platform is the page, not the platform (platform-domains.ts).
      return domain && !isPlatformDomain(domain.value) ? [indicator, domain] : [indicator];
    }
    return [indicator];
  }
  // Free text inside a structured field ("KB국민은행 123-456-789012, 예금주 박OO").
  const extracted = extractIndicators(raw, options).filter((indicator) => !nonLinkingKinds.has(indicator.kind));
  if (extracted.length > 0) return extracted;
  const kind = fallbackKind[field];
  if (!kind) return [];
  const value = kind === 'crypto_address' ? raw.trim() : raw.trim().toLowerCase();
  return [{ kind, value, original: raw, validity: 'invalid', source }];
}

/**
 * Every indicator of a validated report: what the structured fields say and
 * what the free text mentions. The reporter's own phone is not collected: it
 * is theirs, not a lead on the people behind the scam.
 */
export function collectReportIndicators(report: ReportContent): Indicator[] {
  const defaultCountry = report.victim.currentCountry ?? report.victim.residenceCountry ?? report.victim.nationality;
  const found: Indicator[] = [];
  const { suspects } = report;
  for (const field of [
    'phones',
    'wallets',
    'emails',
    'websites',
    'socialProfiles',
    'messengerHandles',
    'bankAccounts',
  ] as const) {
    suspects[field].forEach((raw, index) =>
      found.push(...fromField(field, raw, `suspects.${field}.${index}`, defaultCountry)),
    );
  }
  // A report stored before forwarded origins were kept has none.
  (suspects.forwardedFrom ?? []).forEach((lead, index) =>
    found.push(...recruiterLeadIndicators(lead, `suspects.forwardedFrom.${index}`, defaultCountry)),
  );
  report.losses.payments.forEach((payment, index) => {
    if (payment.toAccount)
      found.push(...fromField('toAccount', payment.toAccount, `losses.payments.${index}.toAccount`, defaultCountry));
    if (payment.transactionHash) {
      found.push(
        ...fromField(
          'transactionHash',
          payment.transactionHash,
          `losses.payments.${index}.transactionHash`,
          defaultCountry,
        ),
      );
    }
  });
  const freeText: Array<[string, string | undefined]> = [
    ['incident.narrative', report.incident.narrative],
    ['incident.firstContactPlatform', report.incident.firstContactPlatform],
    ['trafficking.promisedJob', report.trafficking.promisedJob],
    ['trafficking.debtOrRansomDemanded', report.trafficking.debtOrRansomDemanded],
    ['suspects.compound.name', report.suspects.compound?.name],
  ];
  for (const [source, text] of freeText) {
    if (text) found.push(...extractIndicators(text, { source, ...(defaultCountry ? { defaultCountry } : {}) }));
  }
  return uniqueIndicators(found);
}
