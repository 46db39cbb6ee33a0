import { z } from 'zod';
import {
  defaultPeriodWeeks,
  lastWeeks,
  periodBetween,
  periodWeekChoices,
  type DashboardPeriod,
  type PeriodProblem,
} from '../../intake/dashboard/dashboard-period.js';

/** The period selector's query: a number of weeks to today, or two dates. Anything else reads as not given. */
export const dashboardQuery = z.object({
  weeks: z.coerce
    .number()
    .int()
    .refine((value) => (periodWeekChoices as readonly number[]).includes(value))
    .optional()
    .catch(undefined),
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
  /** Why the dates asked for could not be used (the default period is shown instead). */
  problem?: PeriodProblem;
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
  const weeks = query.weeks ?? defaultPeriodWeeks;
  return { period: lastWeeks(now, weeks), weeks, from: '', to: '' };
}

/** The query string that asks for the same period again (the CSV link carries it). */
export function periodQueryString(chosen: ChosenPeriod): string {
  if (!chosen.problem && chosen.weeks === undefined)
    return new URLSearchParams({ from: chosen.from, to: chosen.to }).toString();
  return new URLSearchParams({ weeks: String(chosen.weeks ?? defaultPeriodWeeks) }).toString();
}
