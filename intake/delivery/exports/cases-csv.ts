import type { CaseDocument } from '../case-document.js';
import { nonLinkingKinds } from '../../indicators/indicator.js';

/**
 * Excel reads a CSV file without a byte-order mark in the computer's legacy
 * code page, which turns Thai, Khmer, Korean and every other non-Latin text
 * into mojibake; with the UTF-8 BOM it reads UTF-8. Other spreadsheets and
 * CSV libraries skip it.
 */
export const utf8ByteOrderMark = '\uFEFF';

/**
 * A spreadsheet opens a cell that starts with = + - @ (or a tab or carriage
 * return) as a formula: a reporter's text must never run in an analyst's
 * Excel. Such cells get a leading apostrophe (OWASP's advice). The full-width
 * forms (＝ ＋ － ＠), which East Asian input methods type, are treated the
 * same way, defensively.
 */
const formulaStart = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;

export function cell(value: string | number | boolean | null | undefined): string {
  let text = value === null || value === undefined ? '' : String(value);
  if (formulaStart.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * Each column with its HXL hashtag (Humanitarian Exchange Language,
 * hxlstandard.org), for the optional second row that HXL tools (HXL Proxy,
 * HDX) read. Core hashtags and attributes where one fits (#event+id,
 * #date+reported, #country+code+v_iso2, #status, #value, #currency+code,
 * #description, +bool, +type); attributes such as +nationality or +urgent
 * are this export's own, which HXL allows.
 */
const columns = [
  ['reference', '#event+id'],
  ['created_at', '#date+reported'],
  ['status', '#status'],
  ['urgent', '#severity+urgent+bool'],
  ['category', '#event+type'],
  // How the report came in (web, telegram, line, …). Not HXL's #channel, which is how money is transferred.
  ['channel', '#meta+channel'],
  ['role', '#meta+role'],
  ['current_country', '#country+code+v_iso2+current'],
  ['nationality', '#country+code+v_iso2+nationality'],
  ['residence_country', '#country+code+v_iso2+residence'],
  ['in_danger', '#indicator+in_danger+bool'],
  ['held_against_will', '#indicator+held+bool'],
  ['losses', '#description+losses'],
  // HXL's #currency is the currency of every #value in the row: both are set only when every payment is in one
  // currency.
  ['loss_amount', '#value+loss'],
  ['loss_currency', '#currency+code'],
  ['indicators', '#group+indicators'],
  ['linked_reports', '#event+id+linked'],
  ['narrative', '#description+narrative'],
] as const;

/** How many digits after the point a number is written with (1e-7 included). */
function decimals(amount: number): number {
  const [mantissa = '', exponent] = String(amount).split('e');
  const fraction = mantissa.split('.')[1]?.length ?? 0;
  return exponent ? Math.max(0, fraction - Number(exponent)) : fraction;
}

/** The total of the payments when they are all in one currency (0.1 + 0.2 is 0.3 here); otherwise none. */
function singleCurrencyTotal(
  payments: Array<{ amount: number; currency: string }>,
): { amount: number; currency: string } | undefined {
  const currencies = new Set(payments.map((payment) => payment.currency));
  if (currencies.size !== 1) return undefined;
  const digits = Math.min(100, Math.max(...payments.map((payment) => decimals(payment.amount))));
  const total = payments.reduce((sum, payment) => sum + payment.amount, 0);
  return { amount: Number(total.toFixed(digits)), currency: payments[0]!.currency };
}

/**
 * One row per case, for analysts working in a spreadsheet: UTF-8 with a
 * byte-order mark, CRLF line ends, formula-safe cells. With `hxl`, the second
 * row holds each column's HXL hashtag.
 */
export function casesToCsv(cases: CaseDocument[], options: { hxl?: boolean } = {}): string {
  const lines = [columns.map(([name]) => name).join(',')];
  if (options.hxl) lines.push(columns.map(([, hashtag]) => hashtag).join(','));
  for (const item of cases) {
    const { report } = item;
    const losses = report.losses.payments.map((payment) => `${payment.amount} ${payment.currency}`).join('; ');
    const total = singleCurrencyTotal(report.losses.payments);
    const indicators = item.indicators
      .filter((indicator) => !nonLinkingKinds.has(indicator.kind))
      .map((indicator) => `${indicator.kind}:${indicator.value}`)
      .join('; ');
    const row: Record<(typeof columns)[number][0], string | number | boolean | null | undefined> = {
      reference: item.reference,
      created_at: item.createdAt,
      status: item.status,
      urgent: item.urgent,
      category: item.category,
      channel: report.channel,
      role: item.role,
      current_country: report.victim.currentCountry,
      nationality: report.victim.nationality,
      residence_country: report.victim.residenceCountry,
      in_danger: report.safety.inImmediateDanger ?? '',
      held_against_will: report.safety.heldAgainstWill ?? '',
      losses,
      loss_amount: total?.amount,
      loss_currency: total?.currency,
      indicators,
      linked_reports: item.linkedReports.map((linked) => linked.reference).join('; '),
      narrative: report.incident.narrative,
    };
    lines.push(columns.map(([name]) => cell(row[name])).join(','));
  }
  return `${utf8ByteOrderMark}${lines.join('\r\n')}\r\n`;
}

/** The HXL hashtag of each column, in order (for tests and documentation). */
export const casesCsvHashtags: readonly string[] = columns.map(([, hashtag]) => hashtag);
