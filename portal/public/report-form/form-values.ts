import { evidenceRecord } from '../../../intake/evidence/evidence-files.js';
import { toAsciiDigits } from '../../../intake/i18n/ascii-digits.js';
import { isCountryCode } from '../../../intake/i18n/country-codes.js';
import type { LanguageCode } from '../../../intake/i18n/languages.js';
import { extractIndicators } from '../../../intake/indicators/extract-indicators.js';
import { reportInputSchema, type ReportInput } from '../../../intake/report/report-schema.js';
import type { Evidence } from '../../../intake/store/report-followups.js';
import {
  formSteps,
  rowFieldName,
  type FieldGroup,
  type FormField,
  type FormValues,
  type RepeatedGroup,
} from './form-steps.js';

/** What the web form keeps of a report being written: every value as typed, and the files sent. */
export interface FormDraftContent {
  language: LanguageCode;
  values: FormValues;
  /** Rows shown of each repeated group (`losses.payments` → 2). */
  rows: Record<string, number>;
  evidence: Evidence[];
  /** Details found in the story that the reporter said are wrong (`kind:value`), never offered again. */
  declined: string[];
}

export interface FieldError {
  field: string;
  /** A key in the `portal` namespace. */
  key: string;
  params?: Record<string, string>;
}

export const limits = { text: 500, story: 20_000, lines: 50, count: 100_000, evidenceFiles: 10 } as const;

export function emptyDraft(language: LanguageCode): FormDraftContent {
  return { language, values: {}, rows: {}, evidence: [], declined: [] };
}

/** A saved draft read back; anything unexpected in it is dropped rather than trusted. */
export function readDraftContent(raw: unknown, language: LanguageCode): FormDraftContent {
  const value = (raw ?? {}) as Partial<FormDraftContent>;
  return {
    language: value.language ?? language,
    values: value.values && typeof value.values === 'object' ? value.values : {},
    rows: value.rows && typeof value.rows === 'object' ? value.rows : {},
    evidence: Array.isArray(value.evidence) ? value.evidence.map(evidenceRecord) : [],
    declined: Array.isArray(value.declined) ? value.declined : [],
  };
}

export function rowsOf(content: FormDraftContent, group: RepeatedGroup): number {
  return Math.min(group.maxRows, Math.max(1, content.rows[group.name] ?? 1));
}

const asText = (raw: string | string[] | undefined) => (Array.isArray(raw) ? (raw[0] ?? '') : (raw ?? '')).trim();

/**
 * A number as people write it: `3000000`, `3,000,000`, `3.000.000,50`,
 * `1500.5`; or with its unit in words (`300만원`, `5 juta`), in which case
 * the currency comes with it.
 */
export function parseAmount(text: string): { amount: number; currency?: string } | undefined {
  const compact = text.replace(/[\s\u00a0']/g, '');
  let normalized: string | undefined;
  if (/^\d{1,3}(,\d{3})+(\.\d+)?$/.test(compact)) normalized = compact.replace(/,/g, '');
  else if (/^\d{1,3}(\.\d{3})+(,\d+)?$/.test(compact)) normalized = compact.replace(/\./g, '').replace(',', '.');
  else if (/^\d+([.,]\d+)?$/.test(compact)) normalized = compact.replace(',', '.');
  if (normalized !== undefined) {
    const amount = Number(normalized);
    return Number.isFinite(amount) && amount > 0 ? { amount } : undefined;
  }
  const found = extractIndicators(text, { source: 'amount' }).find((indicator) => indicator.kind === 'amount');
  const [amount, currency] = found?.value.split(' ') ?? [];
  return amount && currency ? { amount: Number(amount), currency } : undefined;
}

type Parsed = { value?: unknown; error?: { key: string; params?: Record<string, string> } };

function splitList(text: string, separator: RegExp, max: number): Parsed {
  const items = text
    .split(separator)
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
  if (items.length === 0) return {};
  if (items.length > max) return { error: { key: 'form.error.tooMany', params: { max: String(max) } } };
  if (items.some((item) => item.length > limits.text))
    return { error: { key: 'form.error.lineTooLong', params: { max: String(limits.text) } } };
  return { value: items };
}

/** One field's typed value as the report model holds it, or why it cannot be. */
export function parseField(field: FormField, raw: string | string[] | undefined, today: string): Parsed {
  if (field.kind === 'countries') {
    const codes = (Array.isArray(raw) ? raw : raw ? [raw] : []).filter((code) => code !== '');
    if (codes.some((code) => !isCountryCode(code))) return { error: { key: 'form.error.invalidChoice' } };
    return codes.length > 0 ? { value: [...new Set(codes)] } : {};
  }
  if (field.kind === 'checks') {
    const ticked = (Array.isArray(raw) ? raw : raw ? [raw] : []).filter((option) => option !== '');
    if (ticked.some((option) => !field.options?.includes(option)))
      return { error: { key: 'form.error.invalidChoice' } };
    return ticked.length > 0 ? { value: [...new Set(ticked)] } : {};
  }
  const typed = asText(raw);
  if (typed === '') return {};
  // Numbers and dates may be typed in the reader's own digits.
  const text = ['amount', 'count', 'date'].includes(field.kind) ? toAsciiDigits(typed) : typed;
  switch (field.kind) {
    case 'text':
      return text.length > limits.text
        ? { error: { key: 'form.error.tooLong', params: { max: String(limits.text) } } }
        : { value: text };
    case 'story':
      return text.length > limits.story
        ? { error: { key: 'form.error.tooLong', params: { max: String(limits.story) } } }
        : { value: text };
    case 'lines':
      return splitList(text, /\r?\n/, limits.lines);
    case 'commaList':
      // Commas of the project's scripts: Latin, Arabic, CJK, full-width, Burmese.
      return splitList(text, /[,،、，;၊]/, 20);
    case 'yesno':
      return text === 'yes'
        ? { value: true }
        : text === 'no'
          ? { value: false }
          : { error: { key: 'form.error.invalidChoice' } };
    case 'choice':
    case 'select':
      return field.options?.includes(text) ? { value: text } : { error: { key: 'form.error.invalidChoice' } };
    case 'country':
      return isCountryCode(text) ? { value: text } : { error: { key: 'form.error.invalidChoice' } };
    case 'date': {
      const valid =
        /^\d{4}-\d{2}-\d{2}$/.test(text) &&
        !Number.isNaN(Date.parse(`${text}T00:00:00Z`)) &&
        new Date(`${text}T00:00:00Z`).toISOString().startsWith(text);
      if (!valid) return { error: { key: 'form.error.invalidDate' } };
      return text > today ? { error: { key: 'form.error.dateInFuture' } } : { value: text };
    }
    case 'count': {
      const count = /^\d{1,6}$/.test(text) ? Number(text) : Number.NaN;
      return Number.isInteger(count) && count <= limits.count
        ? { value: count }
        : { error: { key: 'form.error.invalidCount', params: { max: String(limits.count) } } };
    }
    case 'amount': {
      const parsed = parseAmount(text);
      return parsed ? { value: parsed } : { error: { key: 'form.error.invalidAmount' } };
    }
    case 'currency':
      return /^[A-Za-z0-9]{2,10}(-[A-Za-z0-9]{2,12})?$/.test(text)
        ? { value: text.toUpperCase() }
        : { error: { key: 'form.error.invalidCurrency' } };
  }
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let node = target;
  for (const part of parts.slice(0, -1)) {
    node[part] ??= {};
    node = node[part] as Record<string, unknown>;
  }
  node[parts[parts.length - 1]!] = value;
}

function interpretGroup(
  group: FieldGroup,
  values: FormValues,
  report: Record<string, unknown>,
  errors: FieldError[],
  today: string,
): void {
  for (const field of group.fields) {
    const parsed = parseField(field, values[field.name], today);
    if (parsed.error) errors.push({ field: field.name, ...parsed.error });
    else if (parsed.value !== undefined) setPath(report, field.name, parsed.value);
    else if (field.required) errors.push({ field: field.name, key: 'form.error.consentRequired' });
  }
}

/** The rows of a repeated group that say anything, as objects of the report model. */
function interpretRows(
  group: RepeatedGroup,
  content: FormDraftContent,
  errors: FieldError[],
  today: string,
): Array<Record<string, unknown>> {
  const rows: Array<Record<string, unknown>> = [];
  for (let row = 0; row < rowsOf(content, group); row += 1) {
    const name = (field: FormField) => rowFieldName(group, row, field);
    if (group.fields.every((field) => asText(content.values[name(field)]) === '')) continue;
    const item: Record<string, unknown> = {};
    for (const field of group.fields) {
      const parsed = parseField(field, content.values[name(field)], today);
      if (parsed.error) errors.push({ field: name(field), ...parsed.error });
      else if (field.kind === 'amount' && parsed.value) {
        const { amount, currency } = parsed.value as { amount: number; currency?: string };
        item.amount = amount;
        // "300만원" says its currency; a currency typed separately still wins.
        if (currency && item.currency === undefined) item.currency = currency;
      } else if (parsed.value !== undefined) item[field.name] = parsed.value;
    }
    const missing = (fieldName: string, key: string) => {
      const field = group.fields.find((candidate) => candidate.name === fieldName)!;
      if (item[fieldName] === undefined && !errors.some((error) => error.field === name(field)))
        errors.push({ field: name(field), key });
    };
    if (group.name === 'losses.payments') {
      missing('amount', 'form.error.amountMissing');
      missing('currency', 'form.error.currencyMissing');
    } else {
      for (const field of group.fields) missing(field.name, 'form.error.rowIncomplete');
    }
    rows.push(item);
  }
  return rows;
}

/**
 * The whole draft as a report, with every problem tied to its field. A
 * report without errors here is one the intake accepts; the schema is
 * still checked last, so a mismatch between the form and the model shows
 * up as an error rather than as a lost report.
 */
export function interpretForm(content: FormDraftContent, today: string): { input: ReportInput; errors: FieldError[] } {
  const report: Record<string, unknown> = { channel: 'web', language: content.language };
  const errors: FieldError[] = [];
  for (const step of formSteps) {
    for (const section of step.sections) {
      if (section.kind === 'fields') interpretGroup(section, content.values, report, errors, today);
      else {
        const rows = interpretRows(section, content, errors, today);
        if (rows.length > 0) setPath(report, section.name, rows);
      }
    }
  }
  if (content.evidence.length > 0) report.evidence = content.evidence;
  if (errors.length === 0) {
    const checked = reportInputSchema.safeParse(report);
    if (!checked.success) {
      for (const issue of checked.error.issues)
        errors.push({ field: issue.path.map(String).join('.'), key: 'form.error.invalid' });
    }
  }
  return { input: report as unknown as ReportInput, errors };
}
