import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { LanguageCode } from '../i18n/languages.js';
import { countryName } from '../routing/display-names.js';
import type { DraftReport } from './conversation-types.js';

/** A phone as the reporter checks it: in international form, with the name of its country in their language. */
function phoneForReader(phone: string, language: LanguageCode): string {
  const parsed = parsePhoneNumberFromString(phone);
  if (!parsed?.isValid()) return phone;
  return parsed.country ? `${parsed.number} (${countryName(parsed.country, language)})` : parsed.number;
}

/**
 * The summary the reporter checks before sending: what they told, in their
 * language (countries by name, phones in international form with their
 * country), one line per part of the report.
 */
export function summaryLines(
  draft: DraftReport,
  language: LanguageCode,
): Array<{ labelKey: string; value?: string; valueKey?: string }> {
  const lines: Array<{ labelKey: string; value?: string; valueKey?: string }> = [];
  const country = (code: string | undefined) => (code ? countryName(code, language) : undefined);
  if (draft.safety?.heldAgainstWill) lines.push({ labelKey: 'summary.safety', valueKey: 'options.held' });
  else if (draft.safety?.inImmediateDanger) lines.push({ labelKey: 'summary.safety', valueKey: 'options.inDanger' });
  if (draft.reporterRole === 'family_or_friend')
    lines.push({ labelKey: 'summary.reportedFor', valueKey: 'options.someoneElse' });
  if (draft.incident?.category)
    lines.push({ labelKey: 'summary.category', valueKey: `categories.${draft.incident.category}` });
  if (draft.incident?.narrative) {
    const story = draft.incident.narrative;
    lines.push({ labelKey: 'summary.story', value: story.length > 300 ? `${story.slice(0, 300)}…` : story });
  }
  const suspects = draft.suspects ?? {};
  const contacts = [
    ...(suspects.phones ?? []).map((phone) => phoneForReader(phone, language)),
    ...(suspects.messengerHandles ?? []),
    ...(suspects.emails ?? []),
    ...(suspects.names ?? []),
  ];
  if (contacts.length > 0) lines.push({ labelKey: 'summary.contacts', value: contacts.join(', ') });
  const places = [...(suspects.websites ?? []), ...(suspects.wallets ?? []), ...(suspects.bankAccounts ?? [])];
  if (places.length > 0) lines.push({ labelKey: 'summary.payments', value: places.join(', ') });
  const payments = draft.losses?.payments ?? [];
  if (payments.length > 0)
    lines.push({
      labelKey: 'summary.money',
      value: payments.map((payment) => `${payment.amount} ${payment.currency}`).join(', '),
    });
  if (suspects.compound?.place || suspects.compound?.country) {
    lines.push({
      labelKey: 'summary.compound',
      value: [suspects.compound.place, country(suspects.compound.country)].filter(Boolean).join(', '),
    });
  }
  if (draft.victim?.nationality)
    lines.push({ labelKey: 'summary.nationality', value: country(draft.victim.nationality) });
  if (draft.victim?.currentCountry)
    lines.push({ labelKey: 'summary.currentCountry', value: country(draft.victim.currentCountry) });
  lines.push({ labelKey: 'summary.evidence', value: String(draft.evidence?.length ?? 0) });
  return lines;
}
