import { sql, type Kysely } from 'kysely';
import type { Database } from '../store/database.js';
import { utcDayOf } from '../store/dialect/dashboard-sql.js';
import { mondayOf, periodBounds, type DashboardPeriod } from './dashboard-period.js';
import { reportInScope, type DashboardScope } from './dashboard-scope.js';

/** One cell of a weekly chart: in this week, this many reports had this value (null: not said). */
export interface WeeklyCount {
  week: string;
  key: string | null;
  count: number;
}

/** Reports per week by their kind, the country the person is in, the channel they came through; and the urgent ones. */
export interface WeeklyReportFigures {
  reportsByCategory: WeeklyCount[];
  reportsByCountry: WeeklyCount[];
  reportsByChannel: WeeklyCount[];
  /** Urgent reports received per week of the period (the case is urgent now: in danger or held). */
  urgentReports: Array<{ week: string; count: number }>;
}

/** The Monday of the week a UTC day (`YYYY-MM-DD`) falls in. */
const mondayOfDay = (day: string) =>
  mondayOf(new Date(`${day}T00:00:00.000Z`))
    .toISOString()
    .slice(0, 10);

/**
 * Reports received per week of the period, by kind, country and channel, and
 * the urgent ones, read in one pass: the period's reports in the viewer's
 * scope are picked once (their scope tested once per report, not once per
 * chart) through the reports' time index, then counted per UTC day and
 * dimension in SQL; the days are summed into weeks here. A day is the first
 * ten characters of the ISO-8601 UTC time, the same text the period's bounds
 * are compared with, so no date function runs per report. Nothing is
 * decrypted.
 */
export async function weeklyReportFigures(
  db: Kysely<Database>,
  scope: DashboardScope,
  period: DashboardPeriod,
): Promise<WeeklyReportFigures> {
  const { since, until } = periodBounds(period);
  const { rows } = await sql<{ dimension: string; day: string; key: string | null; count: number | string }>`
    with scoped as materialized (
      select ${utcDayOf('reports.created_at')} as day, reports.category, reports.current_country,
        reports.channel, reports.urgent
      from reports
      where reports.created_at >= ${since} and reports.created_at < ${until}
        and ${reportInScope(scope, 'reports.id')}
    )
    select 'category' as dimension, day, category as key, count(*) as count from scoped group by day, category
    union all
    select 'country', day, current_country, count(*) from scoped group by day, current_country
    union all
    select 'channel', day, channel, count(*) from scoped group by day, channel
    union all
    select 'urgent', day, null, count(*) from scoped where urgent = 1 group by day`.execute(db);

  // Sum the days into their weeks, one map per chart, keyed by week and value.
  const byDimension = new Map<string, Map<string, WeeklyCount>>();
  for (const row of rows) {
    const week = mondayOfDay(String(row.day));
    let cells = byDimension.get(row.dimension);
    if (!cells) byDimension.set(row.dimension, (cells = new Map()));
    const cellKey = JSON.stringify([week, row.key]);
    const cell = cells.get(cellKey);
    if (cell) cell.count += Number(row.count);
    else cells.set(cellKey, { week, key: row.key, count: Number(row.count) });
  }
  const cellsOf = (dimension: string) => [...(byDimension.get(dimension)?.values() ?? [])];
  return {
    reportsByCategory: cellsOf('category'),
    reportsByCountry: cellsOf('country'),
    reportsByChannel: cellsOf('channel'),
    urgentReports: cellsOf('urgent').map(({ week, count }) => ({ week, count })),
  };
}
