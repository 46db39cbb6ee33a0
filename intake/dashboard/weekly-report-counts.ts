import type { Kysely } from 'kysely';
import type { Database } from '../store/database.js';
import { weekStartOf } from '../store/dialect/dashboard-sql.js';
import { periodBounds, type DashboardPeriod } from './dashboard-period.js';
import { reportInScope, type DashboardScope } from './dashboard-scope.js';

/** What reports per week are split by: their kind, the country the person is in, the channel they came through. */
export const reportDimensions = { category: 'category', country: 'current_country', channel: 'channel' } as const;
export type ReportDimension = keyof typeof reportDimensions;

/** One cell of a weekly chart: in this week, this many reports had this value (null: not said). */
export interface WeeklyCount {
  week: string;
  key: string | null;
  count: number;
}

/**
 * Reports received per week of the period, grouped in SQL by week and by one
 * dimension, read from the reports' own columns through their time index:
 * nothing is decrypted.
 */
export async function weeklyReportCounts(
  db: Kysely<Database>,
  scope: DashboardScope,
  period: DashboardPeriod,
  dimension: ReportDimension,
): Promise<WeeklyCount[]> {
  const { since, until } = periodBounds(period);
  const rows = await db
    .selectFrom('reports')
    .select((eb) => [
      weekStartOf(db, 'reports.created_at').as('week'),
      eb.ref(`reports.${reportDimensions[dimension]}`).as('key'),
      eb.fn.countAll().as('count'),
    ])
    .where('reports.created_at', '>=', since)
    .where('reports.created_at', '<', until)
    .where(reportInScope(scope, 'reports.id'))
    .groupBy(['week', 'key'])
    .execute();
  return rows.map((row) => ({ week: String(row.week), key: row.key, count: Number(row.count) }));
}

/** Urgent reports received per week of the period (the case is urgent now: in danger or held). */
export async function weeklyUrgentCounts(
  db: Kysely<Database>,
  scope: DashboardScope,
  period: DashboardPeriod,
): Promise<Array<{ week: string; count: number }>> {
  const { since, until } = periodBounds(period);
  const rows = await db
    .selectFrom('reports')
    .select((eb) => [weekStartOf(db, 'reports.created_at').as('week'), eb.fn.countAll().as('count')])
    .where('reports.created_at', '>=', since)
    .where('reports.created_at', '<', until)
    .where('reports.urgent', '=', 1)
    .where(reportInScope(scope, 'reports.id'))
    .groupBy('week')
    .execute();
  return rows.map((row) => ({ week: String(row.week), count: Number(row.count) }));
}
