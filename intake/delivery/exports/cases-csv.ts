import type { CaseDocument } from '../case-document.js';

/**
 * A spreadsheet opens a cell that starts with = + - @ (or a tab or carriage
 * return) as a formula: a reporter's text must never run in an analyst's
 * Excel. Such cells get a leading apostrophe (OWASP's advice).
 */
function cell(value: string | number | boolean | null | undefined): string {
  let text = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const columns = [
  'reference',
  'created_at',
  'status',
  'urgent',
  'category',
  'role',
  'current_country',
  'nationality',
  'residence_country',
  'in_danger',
  'held_against_will',
  'losses',
  'indicators',
  'linked_reports',
  'narrative',
] as const;

/** One row per case, for analysts working in a spreadsheet. */
export function casesToCsv(cases: CaseDocument[]): string {
  const lines = [columns.join(',')];
  for (const item of cases) {
    const { report } = item;
    const losses = report.losses.payments.map((payment) => `${payment.amount} ${payment.currency}`).join('; ');
    const indicators = item.indicators
      .filter((indicator) => indicator.kind !== 'amount')
      .map((indicator) => `${indicator.kind}:${indicator.value}`)
      .join('; ');
    lines.push(
      [
        item.reference,
        item.createdAt,
        item.status,
        item.urgent,
        item.category,
        item.role,
        report.victim.currentCountry,
        report.victim.nationality,
        report.victim.residenceCountry,
        report.safety.inImmediateDanger ?? '',
        report.safety.heldAgainstWill ?? '',
        losses,
        indicators,
        item.linkedReports.map((linked) => linked.reference).join('; '),
        report.incident.narrative,
      ]
        .map(cell)
        .join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}
