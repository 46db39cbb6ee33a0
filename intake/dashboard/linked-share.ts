import { sql, type Kysely } from 'kysely';
import { nonLinkingKinds } from '../indicators/indicator.js';
import type { Database } from '../store/database.js';
import { weekStartOf } from '../store/dialect/dashboard-sql.js';
import { periodBounds, type DashboardPeriod } from './dashboard-period.js';
import { reportInScope, type DashboardScope } from './dashboard-scope.js';

export interface WeeklyLinkedShare {
  week: string;
  reports: number;
  /** Reports of the week linked to at least one other report the viewer may see. */
  linked: number;
}

/**
 * How many reports of each week are linked to another: they share a linking
 * indicator (by blind index, ignored values left out) with another report, or
 * staff linked them by hand. For an agency the other report must be one of
 * its cases too, so the share says nothing of other agencies' cases. A pair
 * staff unlinked by hand still counts when the reports share an indicator:
 * the figure is about what the reports have in common.
 */
export async function weeklyLinkedShare(
  db: Kysely<Database>,
  scope: DashboardScope,
  period: DashboardPeriod,
  ignoredHashes: readonly string[],
): Promise<WeeklyLinkedShare[]> {
  const { since, until } = periodBounds(period);
  const ignored = ignoredHashes.length ? sql`and mine.value_hash not in (${sql.join(ignoredHashes)})` : sql``;
  const linked = sql<number>`case when exists (
      select 1 from report_indicators mine
      inner join report_indicators other on other.value_hash = mine.value_hash and other.report_id <> mine.report_id
      where mine.report_id = reports.id and mine.kind not in (${sql.join([...nonLinkingKinds])}) ${ignored}
        and ${reportInScope(scope, 'other.report_id')}
    ) or exists (
      select 1 from report_link_overrides by_hand
      where by_hand.state = 'linked' and by_hand.report_a = reports.id and ${reportInScope(scope, 'by_hand.report_b')}
    ) or exists (
      select 1 from report_link_overrides by_hand
      where by_hand.state = 'linked' and by_hand.report_b = reports.id and ${reportInScope(scope, 'by_hand.report_a')}
    ) then 1 else 0 end`;
  const rows = await db
    .selectFrom('reports')
    .select((eb) => [
      weekStartOf(db, 'reports.created_at').as('week'),
      eb.fn.countAll().as('reports'),
      eb.fn.sum(linked).as('linked'),
    ])
    .where('reports.created_at', '>=', since)
    .where('reports.created_at', '<', until)
    .where(reportInScope(scope, 'reports.id'))
    .groupBy('week')
    .orderBy('week')
    .execute();
  return rows.map((row) => ({ week: String(row.week), reports: Number(row.reports), linked: Number(row.linked) }));
}
