import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Clock } from '../clock.js';
import { nonLinkingKinds } from '../indicators/indicator.js';
import type { Database } from '../store/database.js';
import { dialectKindOf } from '../store/dialect/dialect-kind.js';
import { mondayOf, type DashboardPeriod } from './dashboard-period.js';
import type { DashboardScope } from './dashboard-scope.js';
import type { CompoundHeldNow } from './compounds-held-now.js';
import { keptCompoundsHeldNow, refreshHeldCases } from './kept-held-now.js';
import {
  forgetWeekValues,
  keepWeekValues,
  keptListRows,
  keptPeriod,
  periodListRows,
  summedListRows,
} from './kept-most-reported.js';
import { indicatorGroups, type MostReportedRow } from './most-reported-indicators.js';
import { takeStaleWeekParts } from './stale-week-parts.js';
import { countWeekPart, countWeekValues, partNames, type PartName, type WeekParts } from './week-figures.js';

/**
 * Raise when a part's shape or the SQL that counts it changes: figures kept
 * under another version are never read again (they are counted afresh). The
 * rules kept in other files (values ignored, kinds that never link, kinds
 * grouped into lists) are in the key already (`rulesPrint`).
 */
const figuresVersion = 3;

/**
 * The weeks' figures kept in `dashboard_week_figures` (migration 0030), so a
 * page counts only the weeks that changed since it was last counted, never a
 * stale week:
 *
 * - the triggers of 0030 mark what changed (`dashboard_stale_weeks`), in the
 *   transaction that changes anything a figure is counted from, whoever
 *   writes, every write its own mark;
 * - a read that finds no mark and all its weeks kept uses the kept figures;
 * - otherwise a refresh, one at a time (SQLite's one writer; on PostgreSQL a
 *   transaction-scoped advisory lock): it takes every mark and works out the
 *   weeks and parts they change (`takeStaleWeekParts`), throws those parts
 *   away for every viewer, and counts what is missing for this viewer.
 *
 * Why nothing stale is ever read: a write's mark commits with it; a refresh
 * that takes the mark sees the write (the mark and the write are in the one
 * snapshot that takes the mark) and so counts the weeks the write changed
 * after it, in later statements. A refresh that does not see the mark (the
 * write still open, or committed after the marks were taken) leaves it, so
 * whatever it counted without the write is thrown away by the next refresh,
 * which starts only once this one has committed. A write committed after a
 * read began may be missing from that read's figures, as from any query's.
 */
/** A page's kept figures: its weeks', its lists (ranked, before they are shown) and "people held now". */
export interface KeptFigures {
  weeks: Map<string, WeekParts>;
  mostReportedRows: MostReportedRow[];
  compounds: CompoundHeldNow[];
}

export function createWeekFiguresCache(parts: { db: Kysely<Database>; now: Clock; ignoredHashes: readonly string[] }) {
  const { db } = parts;
  const postgres = dialectKindOf(db) === 'postgres';
  // Values that never link change the links and lists, and so do which kinds never link and how kinds are grouped
  // into lists (set in other files, so a change there cannot be forgotten here): figures counted under other rules
  // are not these.
  const rulesPrint = createHash('sha256')
    .update(
      JSON.stringify({
        ignored: [...parts.ignoredHashes].sort(),
        nonLinking: [...nonLinkingKinds].sort(),
        groups: indicatorGroups,
      }),
    )
    .digest('base64url')
    .slice(0, 16);
  const keyOf = (scope: DashboardScope) =>
    `${scope.kind === 'hotline' ? 'hotline' : `agency:${scope.agencyId}`}|v${figuresVersion}|${rulesPrint}`;

  type Kept = Map<string, Partial<WeekParts>>;
  async function keptFigures(executor: Kysely<Database>, key: string, weeks: readonly string[]): Promise<Kept> {
    if (weeks.length === 0) return new Map();
    const { rows } = await sql<{ week: string; part: PartName; figures: string }>`
      select week, part, figures from dashboard_week_figures
      where cache_key = ${key} and week in (${sql.join(weeks)})`.execute(executor);
    const kept: Kept = new Map();
    for (const row of rows) {
      let week = kept.get(row.week);
      if (!week) kept.set(row.week, (week = {}));
      (week as Record<PartName, unknown>)[row.part] = JSON.parse(row.figures);
    }
    return kept;
  }
  const anyMark = async (executor: Kysely<Database>) =>
    (await sql`select 1 as marked from dashboard_stale_weeks limit 1`.execute(executor)).rows.length > 0;
  const complete = (kept: Kept, weeks: readonly string[]) =>
    weeks.every((week) => partNames.every((part) => kept.get(week)?.[part] !== undefined));

  const currentWeekOf = () => mondayOf(parts.now()).toISOString().slice(0, 10);
  /**
   * The lists when kept and up to date (a kept period naming every week), or added up from kept week values; each
   * read in one statement that also checks it has every week (a refresh may have thrown one away since the page
   * found its weeks' parts complete), undefined if not.
   */
  const listsWithoutRefresh = async (key: string, period: DashboardPeriod) =>
    keptPeriod(period, currentWeekOf()) ? keptListRows(db, key, period) : summedListRows(db, key, period);

  return {
    /**
     * Every week's figures for the viewer, each as counted from the reports as
     * they are now, and the period's most-reported lists (ranked, before
     * they are shown; `kept-most-reported.ts`). `weeks` are the period's.
     */
    async period(scope: DashboardScope, period: DashboardPeriod, weeks: readonly string[]): Promise<KeptFigures> {
      const key = keyOf(scope);
      if (!(await anyMark(db))) {
        const kept = await keptFigures(db, key, weeks);
        if (complete(kept, weeks)) {
          const mostReportedRows = await listsWithoutRefresh(key, period);
          if (mostReportedRows)
            return {
              weeks: kept as Map<string, WeekParts>,
              mostReportedRows,
              compounds: await keptCompoundsHeldNow(db, scope),
            };
        }
      }
      return db.transaction().execute(async (trx) => {
        // One refresh at a time per database and schema (test schemas and deployments sharing a server apart).
        if (postgres)
          await sql`select pg_advisory_xact_lock(hashtext('reportline.dashboard_week_figures ' || current_database()
            || ' ' || current_schema()))`.execute(trx);
        const { parts: stale, heldReports } = await takeStaleWeekParts(trx);
        await refreshHeldCases(trx, heldReports);
        const currentWeek = currentWeekOf();
        // The lists' values go with the `counts` part: subtracted from the kept periods before they are thrown away.
        await forgetWeekValues(
          trx,
          [...new Set(stale.filter((mark) => mark.part === 'counts').map((mark) => mark.week))],
          currentWeek,
        );
        for (const part of partNames) {
          const weeksOfPart = [...new Set(stale.filter((mark) => mark.part === part).map((mark) => mark.week))];
          for (let at = 0; at < weeksOfPart.length; at += 500)
            await sql`delete from dashboard_week_figures where part = ${part} and week in (${sql.join(
              weeksOfPart.slice(at, at + 500),
            )})`.execute(trx);
        }
        const kept = await keptFigures(trx, key, weeks);
        const computedAt = parts.now().toISOString();
        const counted: Array<{ week: string; part: PartName; figures: unknown }> = [];
        const countParts = { db: trx, ignoredHashes: parts.ignoredHashes };
        for (const week of weeks)
          for (const part of partNames) {
            if (kept.get(week)?.[part] !== undefined) continue;
            const figures = await countWeekPart(countParts, scope, week, part);
            if (part === 'counts') await keepWeekValues(trx, key, week, await countWeekValues(countParts, scope, week));
            counted.push({ week, part, figures });
            let keptWeek = kept.get(week);
            if (!keptWeek) kept.set(week, (keptWeek = {}));
            (keptWeek as Record<PartName, unknown>)[part] = figures;
          }
        for (let at = 0; at < counted.length; at += 100)
          await sql`insert into dashboard_week_figures (cache_key, week, part, figures, computed_at) values ${sql.join(
            counted
              .slice(at, at + 100)
              .map((row) => sql`(${key}, ${row.week}, ${row.part}, ${JSON.stringify(row.figures)}, ${computedAt})`),
          )}`.execute(trx);
        const mostReportedRows = await periodListRows(trx, key, period, currentWeek);
        const compounds = await keptCompoundsHeldNow(trx, scope);
        return { weeks: kept as Map<string, WeekParts>, mostReportedRows, compounds };
      });
    },
  };
}

export type WeekFiguresCache = ReturnType<typeof createWeekFiguresCache>;
