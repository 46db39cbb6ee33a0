/**
 * The weeks a dashboard shows: whole weeks, Monday to Sunday in UTC, so a
 * week's count is the same whoever looks and wherever they are. `from` is the
 * first Monday, `to` the Monday after the last week (exclusive).
 */
export interface DashboardPeriod {
  from: string;
  to: string;
}

export type PeriodProblem = 'dashboard.period.invalidDate' | 'dashboard.period.reversed' | 'dashboard.period.tooLong';

/** The choices of the period selector, in weeks ending with the current one. */
export const periodWeekChoices = [4, 12, 26, 52] as const;
export const defaultPeriodWeeks = 12;
/** Two years: more weeks than that do not fit a chart a person can read. */
export const maxPeriodWeeks = 104;

const dayMs = 24 * 60 * 60 * 1000;
const weekMs = 7 * dayMs;

/** The Monday 00:00 UTC of the week an instant falls in. */
export function mondayOf(instant: Date): Date {
  const day = new Date(Date.UTC(instant.getUTCFullYear(), instant.getUTCMonth(), instant.getUTCDate()));
  const sinceMonday = (day.getUTCDay() + 6) % 7;
  return new Date(day.getTime() - sinceMonday * dayMs);
}

const isoDay = (instant: Date) => instant.toISOString().slice(0, 10);

/** The last `weeks` weeks, the current week included. */
export function lastWeeks(now: Date, weeks: number): DashboardPeriod {
  const nextMonday = mondayOf(now).getTime() + weekMs;
  return { from: isoDay(new Date(nextMonday - weeks * weekMs)), to: isoDay(new Date(nextMonday)) };
}

/** A calendar day typed as `YYYY-MM-DD` that exists (no 31 February), or undefined. */
function parseDay(text: string): Date | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
    ? date
    : undefined;
}

/**
 * The weeks from the week holding `from` to the week holding `to`, both
 * included; or why not.
 */
export function periodBetween(from: string, to: string): DashboardPeriod | { problem: PeriodProblem } {
  const first = parseDay(from);
  const last = parseDay(to);
  if (!first || !last) return { problem: 'dashboard.period.invalidDate' };
  if (last < first) return { problem: 'dashboard.period.reversed' };
  const period = { from: isoDay(mondayOf(first)), to: isoDay(new Date(mondayOf(last).getTime() + weekMs)) };
  return weekStarts(period).length > maxPeriodWeeks ? { problem: 'dashboard.period.tooLong' } : period;
}

/** The Monday of every week of the period, oldest first. */
export function weekStarts(period: DashboardPeriod): string[] {
  const weeks: string[] = [];
  for (let at = Date.parse(`${period.from}T00:00:00Z`); at < Date.parse(`${period.to}T00:00:00Z`); at += weekMs)
    weeks.push(isoDay(new Date(at)));
  return weeks;
}

/** The period's bounds as the ISO times stored in the database compare. */
export function periodBounds(period: DashboardPeriod): { since: string; until: string } {
  return { since: `${period.from}T00:00:00.000Z`, until: `${period.to}T00:00:00.000Z` };
}
