import { sql, type Kysely } from 'kysely';
import type { Database } from '../store/database.js';
import { secondsBetween, weekStartOf } from '../store/dialect/dashboard-sql.js';
import { periodBounds, type DashboardPeriod } from './dashboard-period.js';
import { reportInScope, type DashboardScope } from './dashboard-scope.js';

/** How fast the hotline took its urgent cases: for the whole period (`week` null) or one week. */
export interface AcknowledgementTimes {
  week: string | null;
  /** Urgent cases whose clock started in the period. */
  urgent: number;
  acknowledged: number;
  /** Nearest-rank percentiles of the seconds from urgent to taken; null with nothing acknowledged. */
  medianSeconds: number | null;
  p90Seconds: number | null;
}

const percentiles = { medianSeconds: 50, p90Seconds: 90 } as const;

/**
 * The time from a case becoming urgent (`urgent_clocks.urgent_since`) to the
 * hotline taking it (`hotline_acknowledged_at`), per week and for the whole
 * period. The percentiles are computed in SQL with window functions, which
 * both databases have: each week's durations are ranked and the rows at the
 * nearest rank ⌈p·n⌉ are the only ones read back.
 */
export async function acknowledgementTimes(
  db: Kysely<Database>,
  scope: DashboardScope,
  period: DashboardPeriod,
): Promise<{ period: AcknowledgementTimes; weeks: AcknowledgementTimes[] }> {
  const { since, until } = periodBounds(period);
  const clocks = db
    .selectFrom('urgent_clocks')
    .where('urgent_clocks.urgent_since', '>=', since)
    .where('urgent_clocks.urgent_since', '<', until)
    .where(reportInScope(scope, 'urgent_clocks.report_id'));

  const counted = await clocks
    .select((eb) => [
      weekStartOf(db, 'urgent_clocks.urgent_since').as('week'),
      eb.fn.countAll().as('urgent'),
      eb.fn.count('urgent_clocks.hotline_acknowledged_at').as('acknowledged'),
    ])
    .groupBy('week')
    .execute();

  const durations = clocks
    .select([
      weekStartOf(db, 'urgent_clocks.urgent_since').as('week'),
      secondsBetween(db, 'urgent_clocks.urgent_since', 'urgent_clocks.hotline_acknowledged_at').as('seconds'),
    ])
    .where('urgent_clocks.hotline_acknowledged_at', 'is not', null);
  // One ranking per week and one over the whole period, in one pass over the durations.
  const ranked = db
    .selectFrom(durations.as('durations'))
    .select([
      'durations.week',
      'durations.seconds',
      sql<number>`row_number() over (partition by durations.week order by durations.seconds)`.as('week_rank'),
      sql<number>`count(*) over (partition by durations.week)`.as('week_count'),
      sql<number>`row_number() over (order by durations.seconds)`.as('period_rank'),
      sql<number>`count(*) over ()`.as('period_count'),
    ]);
  const picks = await db
    .selectFrom(ranked.as('ranked'))
    .select([
      'ranked.week',
      'ranked.seconds',
      'ranked.week_rank',
      'ranked.week_count',
      'ranked.period_rank',
      'ranked.period_count',
    ])
    .where((eb) =>
      eb.or(
        Object.values(percentiles).flatMap((p) => [
          eb('ranked.week_rank', '=', sql<number>`(${p} * ranked.week_count + 99) / 100`),
          eb('ranked.period_rank', '=', sql<number>`(${p} * ranked.period_count + 99) / 100`),
        ]),
      ),
    )
    .execute();

  type Pick = (typeof picks)[number];
  const nearestRank = (p: number, n: number) => Math.ceil((p * n) / 100);
  /** The durations at the nearest ranks among `rows`, each row ranked by `rankOf` as [position, count]. */
  const percentilesOf = (rows: Pick[], rankOf: (row: Pick) => [number, number]) => {
    const found: { medianSeconds: number | null; p90Seconds: number | null } = {
      medianSeconds: null,
      p90Seconds: null,
    };
    for (const row of rows) {
      const [position, count] = rankOf(row);
      for (const [name, p] of Object.entries(percentiles) as Array<[keyof typeof percentiles, number]>)
        if (position === nearestRank(p, count)) found[name] = Math.round(Number(row.seconds));
    }
    return found;
  };
  const weeks = counted
    .map((row) => {
      const week = String(row.week);
      const ofWeek = picks.filter((pick) => String(pick.week) === week);
      return {
        week,
        urgent: Number(row.urgent),
        acknowledged: Number(row.acknowledged),
        ...percentilesOf(ofWeek, (pick) => [Number(pick.week_rank), Number(pick.week_count)]),
      };
    })
    .sort((a, b) => a.week.localeCompare(b.week));
  const whole = percentilesOf(picks, (pick) => [Number(pick.period_rank), Number(pick.period_count)]);
  return {
    period: {
      week: null,
      urgent: weeks.reduce((sum, week) => sum + week.urgent, 0),
      acknowledged: weeks.reduce((sum, week) => sum + week.acknowledged, 0),
      ...whole,
    },
    weeks,
  };
}
