import { extractIndicators } from '../../../intake/indicators/extract-indicators.js';
import { collectReportIndicators } from '../../../intake/indicators/collect-report-indicators.js';
import type { Indicator } from '../../../intake/indicators/indicator.js';
import { suspectEntryFor } from '../../../intake/report/indicator-fields.js';
import { reportInputSchema, type ReportInput } from '../../../intake/report/report-schema.js';
import { formSteps, type RepeatedGroup } from './form-steps.js';
import { rowsOf, type FormDraftContent } from './form-values.js';

/** The free-text answers searched for phone numbers, wallets, accounts, sites and amounts. */
const searchedAnswers = [
  'incident.narrative',
  'incident.firstContactPlatform',
  'trafficking.promisedJob',
  'trafficking.debtOrRansomDemanded',
  'trafficking.route',
  'suspects.compound.name',
];

export const detailId = (indicator: Indicator) => `${indicator.kind}:${indicator.value}`;

const paymentsGroup = formSteps
  .flatMap((step) => step.sections)
  .find((section): section is RepeatedGroup => section.kind === 'repeated' && section.name === 'losses.payments')!;

/**
 * What the reporter's own words mention that their answers do not list yet:
 * shown on the review page to confirm, so a phone number in the story
 * becomes a detail the police can search for without being typed twice.
 */
export function detailsToConfirm(content: FormDraftContent, input: ReportInput): Indicator[] {
  const defaultCountry = input.victim?.currentCountry ?? input.victim?.residenceCountry ?? input.victim?.nationality;
  const found = searchedAnswers.flatMap((name) => {
    const value = content.values[name];
    const text = typeof value === 'string' ? value : '';
    return text.trim() ? extractIndicators(text, { source: name, ...(defaultCountry ? { defaultCountry } : {}) }) : [];
  });
  // What the answers already list, normalized the way the intake reads it.
  const parsed = reportInputSchema.safeParse({ ...input, consent: { shareWithLawEnforcement: false } });
  const listed = new Set(
    parsed.success
      ? collectReportIndicators(parsed.data)
          .filter((indicator) => !searchedAnswers.includes(indicator.source))
          .map(detailId)
      : [],
  );
  const payments = new Set(
    (parsed.success ? parsed.data.losses.payments : []).map(
      (payment) => `amount:${payment.amount} ${payment.currency}`,
    ),
  );
  const offered = new Map<string, Indicator>();
  for (const indicator of found) {
    const id = detailId(indicator);
    if (content.declined.includes(id) || listed.has(id) || payments.has(id) || offered.has(id)) continue;
    if (indicator.kind !== 'amount' && !suspectEntryFor(indicator)) continue;
    // A site's link and its name are one detail: offer the link.
    if (
      indicator.kind === 'domain' &&
      found.some((other) => other.kind === 'url' && other.value.includes(indicator.value))
    )
      continue;
    offered.set(id, indicator);
  }
  return [...offered.values()];
}

function appendLine(content: FormDraftContent, name: string, line: string): FormDraftContent {
  const current = typeof content.values[name] === 'string' ? (content.values[name] as string) : '';
  const lines = current
    .split(/\r?\n/)
    .map((item) => item.trim())
    .filter(Boolean);
  if (lines.includes(line)) return content;
  return { ...content, values: { ...content.values, [name]: [...lines, line].join('\n') } };
}

/** A found amount as a new payment, in the first empty row (or a new one). */
function addPayment(content: FormDraftContent, amount: string, currency: string): FormDraftContent {
  const rows = rowsOf(content, paymentsGroup);
  const isEmpty = (row: number) =>
    paymentsGroup.fields.every(
      (field) => !String(content.values[`${paymentsGroup.name}.${row}.${field.name}`] ?? '').trim(),
    );
  let row = Array.from({ length: rows }, (_, index) => index).find(isEmpty);
  if (row === undefined) {
    if (rows >= paymentsGroup.maxRows) return content;
    row = rows;
  }
  return {
    ...content,
    rows: { ...content.rows, [paymentsGroup.name]: Math.max(rows, row + 1) },
    values: {
      ...content.values,
      [`${paymentsGroup.name}.${row}.amount`]: amount,
      [`${paymentsGroup.name}.${row}.currency`]: currency,
    },
  };
}

/**
 * The reporter's answer to what was found: ticked details join their
 * answers (where the form would have asked for them), the others are
 * remembered as wrong and not offered again.
 */
export function applyConfirmedDetails(
  content: FormDraftContent,
  offered: Indicator[],
  confirmedIds: string[],
): FormDraftContent {
  let next = content;
  for (const indicator of offered) {
    const id = detailId(indicator);
    if (!confirmedIds.includes(id)) {
      next = { ...next, declined: [...next.declined, id] };
      continue;
    }
    if (indicator.kind === 'amount') {
      const [amount, currency] = indicator.value.split(' ');
      if (amount && currency) next = addPayment(next, amount, currency);
      continue;
    }
    const entry = suspectEntryFor(indicator);
    if (entry) next = appendLine(next, `suspects.${entry.list}`, entry.value);
  }
  return next;
}
