import { sql, type Kysely } from 'kysely';
import type { Database } from '../store/database.js';
import { secondsBetween } from '../store/dialect/dashboard-sql.js';
import { periodBounds, type DashboardPeriod } from './dashboard-period.js';
import { reportInScope, type DashboardScope } from './dashboard-scope.js';
import { weeklyLinkedShare, type WeeklyLinkedShare } from './linked-share.js';
import { indicatorGroups, type MostReportedRow } from './most-reported-indicators.js';
import type { AcknowledgementTimes } from './urgent-acknowledgement.js';
import { weeklyReportFigures, type WeeklyCount } from './weekly-report-counts.js';

/**
 * One week's figures, in the three parts the triggers of migration 0030 mark
 * apart (see there for what each part reads). Each is what the from-scratch
 * figures count over that week alone, kept whole enough that weeks add up to
 * a period exactly: the seconds of every taken case (a median of medians is
 * not a median). The values the lists count are kept with the `counts` part,
 * in a table of their own (`countWeekValues`, `kept-most-reported.ts`).
 */
export interface CountsPart {
  category: Array<[string | null, number]>;
  country: Array<[string | null, number]>;
  channel: Array<[string | null, number]>;
  urgent: number;
}
export interface ClocksPart {
  urgent: number;
  acknowledged: number;
  /** Seconds from urgent to taken of the week's taken cases, smallest first. */
  seconds: number[];
}
export interface LinksPart {
  reports: number;
  linked: number;
}
export interface WeekParts {
  counts: CountsPart;
  clocks: ClocksPart;
  links: LinksPart;
}
export type PartName = keyof WeekParts;
export const partNames: readonly PartName[] = ['counts', 'clocks', 'links'];

const weekMs = 7 * 24 * 60 * 60 * 1000;
/** The period of one week, its Monday given. */
export function weekPeriod(week: string): DashboardPeriod {
  return { from: week, to: new Date(Date.parse(`${week}T00:00:00Z`) + weekMs).toISOString().slice(0, 10) };
}

export interface WeekFiguresParts {
  db: Kysely<Database>;
  ignoredHashes: readonly string[];
}

/** One part of one week's figures, counted from the reports, in the viewer's scope. */
export async function countWeekPart(
  parts: WeekFiguresParts,
  scope: DashboardScope,
  week: string,
  part: PartName,
): Promise<WeekParts[PartName]> {
  const period = weekPeriod(week);
  if (part === 'counts') return countsOf(parts, scope, period);
  if (part === 'clocks') return clocksOf(parts.db, scope, period);
  const [row] = await weeklyLinkedShare(parts.db, scope, period, parts.ignoredHashes);
  return { reports: row?.reports ?? 0, linked: row?.linked ?? 0 };
}

async function countsOf(parts: WeekFiguresParts, scope: DashboardScope, period: DashboardPeriod): Promise<CountsPart> {
  const weekly = await weeklyReportFigures(parts.db, scope, period);
  const cells = (counts: WeeklyCount[]) => counts.map((cell): [string | null, number] => [cell.key, cell.count]);
  return {
    category: cells(weekly.reportsByCategory),
    country: cells(weekly.reportsByCountry),
    channel: cells(weekly.reportsByChannel),
    urgent: weekly.urgentReports.reduce((sum, week) => sum + week.count, 0),
  };
}

/**
 * Every listed value of one week in the viewer's scope, with the week's
 * reports carrying it and the smallest of their ids: the from-scratch lists'
 * count (most-reported-indicators.ts) without its threshold and ranking,
 * which are the period's, applied to the kept sums (`kept-most-reported.ts`).
 */
export async function countWeekValues(
  parts: WeekFiguresParts,
  scope: DashboardScope,
  week: string,
): Promise<MostReportedRow[]> {
  const { since, until } = periodBounds(weekPeriod(week));
  const listOfKind = sql.join(
    Object.entries(indicatorGroups).flatMap(([group, kinds]) => kinds.map((kind) => sql`when ${kind} then ${group}`)),
    sql` `,
  );
  const ignored = parts.ignoredHashes.length ? sql`and ri.value_hash not in (${sql.join(parts.ignoredHashes)})` : sql``;
  const { rows } = await sql<MostReportedRow>`
    select case min(ri.kind) ${listOfKind} end as list, min(ri.kind) as kind, ri.value_hash,
      count(distinct ri.report_id) as reports, min(ri.report_id) as sample
    from reports
    inner join report_indicators ri on ri.report_id = reports.id
    where reports.created_at >= ${since} and reports.created_at < ${until}
      and (case ri.kind ${listOfKind} end) is not null ${ignored}
      and ${reportInScope(scope, 'reports.id')}
    group by ri.value_hash`.execute(parts.db);
  return rows;
}

async function clocksOf(db: Kysely<Database>, scope: DashboardScope, period: DashboardPeriod): Promise<ClocksPart> {
  const { since, until } = periodBounds(period);
  const rows = await db
    .selectFrom('urgent_clocks')
    .select(secondsBetween(db, 'urgent_clocks.urgent_since', 'urgent_clocks.hotline_acknowledged_at').as('seconds'))
    .where('urgent_clocks.urgent_since', '>=', since)
    .where('urgent_clocks.urgent_since', '<', until)
    .where(reportInScope(scope, 'urgent_clocks.report_id'))
    .execute();
  const seconds = rows
    .filter((row) => row.seconds !== null)
    .map((row) => Number(row.seconds))
    .sort((a, b) => a - b);
  return { urgent: rows.length, acknowledged: seconds.length, seconds };
}

/** The nearest-rank percentiles of sorted seconds, as the from-scratch figures compute them. */
function percentilesOf(seconds: readonly number[]) {
  const at = (p: number) => {
    if (seconds.length === 0) return null;
    return Math.round(seconds[Math.ceil((p * seconds.length) / 100) - 1]!);
  };
  return { medianSeconds: at(50), p90Seconds: at(90) };
}

/**
 * A period's figures added up from its weeks' (every week of the period
 * given): the same figures, in the same order, as counting the period from
 * the reports (`dashboard-read-model.ts`, `referenceFigures`).
 */
export function figuresOfWeeks(weeks: readonly string[], parts: ReadonlyMap<string, WeekParts>) {
  const ofWeeks = weeks.map((week) => ({ week, ...parts.get(week)! }));
  const weekly = (dimension: 'category' | 'country' | 'channel'): WeeklyCount[] =>
    ofWeeks.flatMap(({ week, counts }) => counts[dimension].map(([key, count]) => ({ week, key, count })));

  const acknowledgementWeeks: AcknowledgementTimes[] = ofWeeks
    .filter(({ clocks }) => clocks.urgent > 0)
    .map(({ week, clocks }) => ({
      week,
      urgent: clocks.urgent,
      acknowledged: clocks.acknowledged,
      ...percentilesOf(clocks.seconds),
    }));
  const allSeconds = ofWeeks.flatMap(({ clocks }) => clocks.seconds).sort((a, b) => a - b);

  const linked: WeeklyLinkedShare[] = ofWeeks
    .filter(({ links }) => links.reports > 0)
    .map(({ week, links }) => ({ week, reports: links.reports, linked: links.linked }));
  return {
    reportsByCategory: weekly('category'),
    reportsByCountry: weekly('country'),
    reportsByChannel: weekly('channel'),
    urgentReports: ofWeeks
      .filter(({ counts }) => counts.urgent > 0)
      .map(({ week, counts }) => ({ week, count: counts.urgent })),
    acknowledgement: {
      period: {
        week: null,
        urgent: acknowledgementWeeks.reduce((sum, week) => sum + week.urgent, 0),
        acknowledged: acknowledgementWeeks.reduce((sum, week) => sum + week.acknowledged, 0),
        ...percentilesOf(allSeconds),
      },
      weeks: acknowledgementWeeks,
    },
    linked,
  };
}
