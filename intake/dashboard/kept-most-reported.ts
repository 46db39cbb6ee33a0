import { sql, type Kysely } from 'kysely';
import type { Database } from '../store/database.js';
import { weekStarts, type DashboardPeriod } from './dashboard-period.js';
import {
  indicatorGroups,
  mostReportedLimit,
  mostReportedMinimum,
  type IndicatorGroup,
  type MostReportedRow,
} from './most-reported-indicators.js';

/**
 * The most-reported lists kept as counts per value (migration 0035), so a
 * page reads the few values it shows through an index on the count: never
 * every value of its period (at 100,000 reports a 12-week page added up
 * about 36,000 values per read).
 *
 * - `dashboard_week_values` is a week's values for one viewer's scope, counted
 *   with that week's `counts` part and thrown away with it;
 * - `dashboard_period_values` is, per scope and period, the sum of the week
 *   values of the weeks its `dashboard_period_lists.weeks` names. A refresh
 *   that throws a week away subtracts it from every kept period holding it
 *   first (`forgetWeekValues`); a page of the period adds the week back once
 *   it is counted again (`periodListRows`). The work of either is one week's
 *   values, whatever the number of reports stored.
 *
 * Only periods ending with the current week are kept (those the selector
 * offers, and two dates up to today): a past period's lists are added up from
 * its week values each time, in SQL, and a kept period is dropped once its
 * last week is over. Everything here writes inside the refresh (one at a time:
 * SQLite's one writer, PostgreSQL's advisory lock of `week-figures-cache.ts`),
 * so the sums never race each other.
 */

/** Every list's values of one week as counted for a scope: what a `counts` part keeps of them. */
export async function keepWeekValues(
  trx: Kysely<Database>,
  key: string,
  week: string,
  rows: readonly MostReportedRow[],
): Promise<void> {
  for (let at = 0; at < rows.length; at += 500)
    await sql`insert into dashboard_week_values (week, cache_key, value_hash, list, kind, reports, sample) values ${sql.join(
      rows
        .slice(at, at + 500)
        .map(
          (row) =>
            sql`(${week}, ${key}, ${row.value_hash}, ${row.list}, ${row.kind}, ${Number(row.reports)}, ${row.sample})`,
        ),
    )}`.execute(trx);
}

interface KeptList {
  cache_key: string;
  period_from: string;
  period_to: string;
  weeks: string;
}

/**
 * Before the refresh throws these weeks' values away (their `counts` part is
 * stale, for every scope): each kept period holding one of them subtracts
 * it, and no longer names it; and periods whose last week is over are dropped.
 */
export async function forgetWeekValues(
  trx: Kysely<Database>,
  weeks: readonly string[],
  currentWeek: string,
): Promise<void> {
  const ended = await sql<KeptList>`select cache_key, period_from, period_to, weeks from dashboard_period_lists
    where period_to <= ${currentWeek}`.execute(trx);
  for (const list of ended.rows) await dropList(trx, list);
  if (weeks.length === 0) return;
  const stale = new Set(weeks);
  const ordered = [...stale].sort();
  const { rows } = await sql<KeptList>`select cache_key, period_from, period_to, weeks from dashboard_period_lists
    where period_from <= ${ordered[ordered.length - 1]!} and period_to > ${ordered[0]!}`.execute(trx);
  for (const list of rows) {
    const named: string[] = JSON.parse(list.weeks);
    const forgotten = named.filter((week) => stale.has(week));
    if (forgotten.length === 0) continue;
    for (const week of forgotten)
      await sql`update dashboard_period_values set reports = reports - (
          select wv.reports from dashboard_week_values wv
          where wv.week = ${week} and wv.cache_key = ${list.cache_key}
            and wv.value_hash = dashboard_period_values.value_hash)
        where cache_key = ${list.cache_key} and period_from = ${list.period_from} and period_to = ${list.period_to}
          and value_hash in (select value_hash from dashboard_week_values
            where week = ${week} and cache_key = ${list.cache_key})`.execute(trx);
    await setWeeks(
      trx,
      list,
      named.filter((week) => !stale.has(week)),
    );
  }
  for (let at = 0; at < ordered.length; at += 500)
    await sql`delete from dashboard_week_values where week in (${sql.join(ordered.slice(at, at + 500))})`.execute(trx);
}

async function dropList(trx: Kysely<Database>, list: KeptList): Promise<void> {
  await sql`delete from dashboard_period_values
    where cache_key = ${list.cache_key} and period_from = ${list.period_from} and period_to = ${list.period_to}`.execute(
    trx,
  );
  await sql`delete from dashboard_period_lists
    where cache_key = ${list.cache_key} and period_from = ${list.period_from} and period_to = ${list.period_to}`.execute(
    trx,
  );
}

async function setWeeks(trx: Kysely<Database>, list: KeptList, weeks: readonly string[]): Promise<void> {
  await sql`update dashboard_period_lists set weeks = ${JSON.stringify([...weeks].sort())}
    where cache_key = ${list.cache_key} and period_from = ${list.period_from} and period_to = ${list.period_to}`.execute(
    trx,
  );
}

/** Whether a period's lists are kept: it ends with the current week (its last week is not over). */
export function keptPeriod(period: DashboardPeriod, currentWeek: string): boolean {
  return period.to > currentWeek;
}

/**
 * A period's lists when every week of the period has its values kept for the
 * scope and its kept list names every week; undefined when a refresh must
 * bring the list up to date first (`periodListRows`). Reads only the values
 * shown.
 *
 * Outside the refresh, so in one statement: the weeks the list names, its
 * top values and their samples are read from one snapshot. Read one after
 * the other, a refresh of another scope (another instance, or another page
 * of this one between two statements) that throws a week away between them
 * would leave a list checked complete but read without that week's reports.
 */
export async function keptListRows(
  db: Kysely<Database>,
  key: string,
  period: DashboardPeriod,
): Promise<MostReportedRow[] | undefined> {
  const sampleOf = sql`(select min(wv.sample) from dashboard_week_values wv
    where wv.cache_key = ${key} and wv.value_hash = top.value_hash
      and wv.week >= ${period.from} and wv.week < ${period.to})`;
  const perList = listNames.map(
    (list) => sql`select top.list, top.kind, top.value_hash, top.reports, ${sampleOf} as sample, null as weeks
      from (select list, kind, value_hash, reports from dashboard_period_values
        where cache_key = ${key} and period_from = ${period.from} and period_to = ${period.to} and list = ${list}
          and reports >= ${mostReportedMinimum}
        order by reports desc, value_hash limit ${mostReportedLimit}) top`,
  );
  const { rows } = await sql<MostReportedRow & { weeks: string | null }>`
    select null as list, null as kind, null as value_hash, null as reports, null as sample, weeks
      from dashboard_period_lists
      where cache_key = ${key} and period_from = ${period.from} and period_to = ${period.to}
    union all ${sql.join(perList, sql` union all `)}`.execute(db);
  const named = rows.find((row) => row.weeks !== null);
  if (!named || named.weeks !== JSON.stringify(weekStarts(period))) return undefined;
  return inOrderShown(rows.filter((row) => row.weeks === null));
}

/**
 * A period's lists, inside the refresh, every week of the period counted for
 * the scope: a kept period is made (once, from its weeks' values) or brought
 * up to date by adding the weeks it no longer names; a past period is added
 * up from its weeks' values.
 */
export async function periodListRows(
  trx: Kysely<Database>,
  key: string,
  period: DashboardPeriod,
  currentWeek: string,
): Promise<MostReportedRow[]> {
  const weeks = weekStarts(period);
  if (!keptPeriod(period, currentWeek)) {
    const summed = await summedListRows(trx, key, period);
    // Inside the refresh every week of the period has just been counted.
    if (!summed) throw new Error(`a week of ${period.from}–${period.to} was not counted`);
    return summed;
  }
  const list: KeptList = { cache_key: key, period_from: period.from, period_to: period.to, weeks: '[]' };
  const { rows } = await sql<{ weeks: string }>`select weeks from dashboard_period_lists
    where cache_key = ${key} and period_from = ${period.from} and period_to = ${period.to}`.execute(trx);
  if (rows.length === 0)
    await sql`insert into dashboard_period_lists (cache_key, period_from, period_to, weeks)
      values (${key}, ${period.from}, ${period.to}, '[]')`.execute(trx);
  const named = new Set<string>(rows.length === 0 ? [] : JSON.parse(rows[0]!.weeks));
  const missing = weeks.filter((week) => !named.has(week));
  if (missing.length > 0) {
    // The SELECT has a WHERE: SQLite would otherwise read the upsert's ON as a join's.
    for (let at = 0; at < missing.length; at += 500)
      await sql`insert into dashboard_period_values (cache_key, period_from, period_to, value_hash, list, kind, reports)
        select ${key}, ${period.from}, ${period.to}, wv.value_hash, min(wv.list), min(wv.kind), sum(wv.reports)
        from dashboard_week_values wv
        where wv.cache_key = ${key} and wv.week in (${sql.join(missing.slice(at, at + 500))})
        group by wv.value_hash
        on conflict (cache_key, period_from, period_to, value_hash)
        do update set reports = dashboard_period_values.reports + excluded.reports`.execute(trx);
    await setWeeks(trx, list, weeks);
  }
  return topRows(trx, key, period);
}

const listNames = (Object.keys(indicatorGroups) as IndicatorGroup[]).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

/** Each list's first values of a kept period, through the index on the count (ties by the blind index). */
async function topRows(db: Kysely<Database>, key: string, period: DashboardPeriod): Promise<MostReportedRow[]> {
  const perList = listNames.map(
    (list) => sql`select * from (select list, kind, value_hash, reports from dashboard_period_values
      where cache_key = ${key} and period_from = ${period.from} and period_to = ${period.to} and list = ${list}
        and reports >= ${mostReportedMinimum}
      order by reports desc, value_hash limit ${mostReportedLimit}) ${sql.id(`top_${list}`)}`,
  );
  const { rows } = await sql<Omit<MostReportedRow, 'sample'>>`${sql.join(perList, sql` union all `)}`.execute(db);
  return withSamples(db, key, period, rows);
}

/**
 * A past period's lists, added up from its weeks' values (not kept: such a
 * page is seldom read twice); undefined when a week of the period has no
 * `counts` part kept for the scope (so no values: thrown away by a refresh
 * since the page found its weeks complete, or never counted). One statement,
 * so the check and the sums are of one snapshot.
 */
export async function summedListRows(
  db: Kysely<Database>,
  key: string,
  period: DashboardPeriod,
): Promise<MostReportedRow[] | undefined> {
  const weeks = weekStarts(period);
  const { rows } = await sql<MostReportedRow & { counted: number | string | null }>`
    select null as list, null as kind, null as value_hash, null as reports, null as sample, count(*) as counted
      from dashboard_week_figures
      where cache_key = ${key} and part = 'counts' and week in (${sql.join(weeks)})
    union all
    select list, kind, value_hash, reports, sample, null as counted from (
      select summed.*, row_number() over (partition by summed.list order by summed.reports desc, summed.value_hash)
        as place
      from (
        select min(list) as list, min(kind) as kind, value_hash, sum(reports) as reports, min(sample) as sample
        from dashboard_week_values
        where cache_key = ${key} and week >= ${period.from} and week < ${period.to}
        group by value_hash
        having sum(reports) >= ${mostReportedMinimum}
      ) summed
    ) ranked
    where place <= ${mostReportedLimit}`.execute(db);
  const counted = rows.find((row) => row.counted !== null);
  if (Number(counted?.counted ?? 0) !== weeks.length) return undefined;
  return inOrderShown(rows.filter((row) => row.counted === null));
}

/**
 * The rows in the order shown (lists by name, most reports first, ties by the
 * blind index byte by byte), each with the smallest id of the period's
 * reports carrying it: the smallest of its weeks' (a few rows per value).
 */
async function withSamples(
  db: Kysely<Database>,
  key: string,
  period: DashboardPeriod,
  rows: ReadonlyArray<Omit<MostReportedRow, 'sample'>>,
): Promise<MostReportedRow[]> {
  if (rows.length === 0) return [];
  const { rows: samples } = await sql<{ value_hash: string; sample: string }>`
    select value_hash, min(sample) as sample from dashboard_week_values
    where cache_key = ${key} and value_hash in (${sql.join(rows.map((row) => row.value_hash))})
      and week >= ${period.from} and week < ${period.to}
    group by value_hash`.execute(db);
  const sampleOf = new Map(samples.map((row) => [row.value_hash, row.sample]));
  return inOrderShown(rows.map((row) => ({ ...row, sample: sampleOf.get(row.value_hash)! })));
}

/** Lists by name, most reports first, ties by the blind index byte by byte. */
function inOrderShown(rows: readonly MostReportedRow[]): MostReportedRow[] {
  const byBytes = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return rows
    .map((row) => ({
      list: row.list,
      kind: row.kind,
      value_hash: row.value_hash,
      reports: Number(row.reports),
      sample: row.sample,
    }))
    .sort((a, b) => byBytes(a.list, b.list) || b.reports - a.reports || byBytes(a.value_hash, b.value_hash));
}
