import { z } from 'zod';
import {
  defaultPeriodWeeks,
  lastWeeks,
  periodBetween,
  periodWeekChoices,
  type DashboardPeriod,
  type PeriodProblem,
} from '../../intake/dashboard/dashboard-period.js';

/** The period selector's query: a number of weeks to today, or two dates, read by chosenPeriod. */
export const dashboardQuery = z.object({
  weeks: z.string().max(20).optional().catch(undefined),
  from: z.string().max(20).optional().catch(undefined),
  to: z.string().max(20).optional().catch(undefined),
});
export type DashboardQuery = z.infer<typeof dashboardQuery>;

export interface ChosenPeriod {
  period: DashboardPeriod;
  /** What the form shows as chosen. */
  weeks: number | undefined;
  from: string;
  to: string;
  /** Why the dates or weeks asked for could not be used (the default period is shown instead). */
  problem?: PeriodProblem | 'dashboard.period.invalidWeeks';
}

/** The period a dashboard request asks for: its dates when they make a period, else its weeks, else the default. */
export function chosenPeriod(query: DashboardQuery, now: Date): ChosenPeriod {
  const from = (query.from ?? '').trim();
  const to = (query.to ?? '').trim();
  if (from || to) {
    const between = from && to ? periodBetween(from, to) : ({ problem: 'dashboard.period.invalidDate' } as const);
    if (!('problem' in between)) return { period: between, weeks: undefined, from, to };
    return {
      period: lastWeeks(now, defaultPeriodWeeks),
      weeks: defaultPeriodWeeks,
      from,
      to,
      problem: between.problem,
    };
  }
  const given = (query.weeks ?? '').trim();
  if (!given) return { period: lastWeeks(now, defaultPeriodWeeks), weeks: defaultPeriodWeeks, from: '', to: '' };
  const weeks = /^\d{1,3}$/.test(given) ? Number(given) : Number.NaN;
  if ((periodWeekChoices as readonly number[]).includes(weeks))
    return { period: lastWeeks(now, weeks), weeks, from: '', to: '' };
  // weeks=NaN, -4 or 5 (not offered): said, as for dates, rather than 12 weeks shown as if asked for.
  return {
    period: lastWeeks(now, defaultPeriodWeeks),
    weeks: defaultPeriodWeeks,
    from: '',
    to: '',
    problem: 'dashboard.period.invalidWeeks',
  };
}

/** The query string that asks for the same period again (the CSV link carries it). */
export function periodQueryString(chosen: ChosenPeriod): string {
  if (!chosen.problem && chosen.weeks === undefined)
    return new URLSearchParams({ from: chosen.from, to: chosen.to }).toString();
  return new URLSearchParams({ weeks: String(chosen.weeks ?? defaultPeriodWeeks) }).toString();
}
