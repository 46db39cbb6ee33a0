import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../store/database.js';
import { compoundHeldNowOf, compoundsShown, type CompoundHeldNow } from './compounds-held-now.js';
import type { DashboardScope } from './dashboard-scope.js';

/**
 * "People held now" per compound kept as counts per viewer's scope
 * (migration 0036), so a page reads the register's compounds with their
 * count instead of every open urgent case confirmed on one.
 *
 * `dashboard_held_cases` is what each report adds: a row per scope that sees
 * it (the hotline, and each agency it is routed to unwithheld, as
 * `reportInScope`) and compound it is confirmed on, while it is urgent and in
 * the queue (as `compoundsHeldNow` counts). `dashboard_held_counts` is their
 * count per scope and compound. The triggers of 0036 (and 0030's scope marks)
 * mark the reports whose share may have changed; the dashboard's refresh,
 * which takes the marks, works their share out again from the rows as they
 * are then (`refreshHeldCases`) and moves the counts by the difference: the
 * work is the marked reports', whatever the number of cases stored, and a
 * report worked out again twice changes nothing the second time.
 */

/** The key of a scope's kept counts: the hotline, or one agency. */
export function scopeKeyOf(scope: DashboardScope): string {
  return scope.kind === 'hotline' ? 'hotline' : `agency:${scope.agencyId}`;
}

/**
 * Every (scope, compound, report) a report adds to "people held now", for
 * the reports `reportIds` picks (SQL: a condition on `cc.report_id`). Also
 * what migration 0036 filled the table with (its own copy of this SQL).
 */
export function heldCasesOf(reportIds: RawBuilder<unknown>): RawBuilder<{
  scope: string;
  compound_id: string;
  report_id: string;
}> {
  return sql`
    select 'hotline' as scope, cc.compound_id, cc.report_id from compound_cases cc
      inner join reports r on r.id = cc.report_id
      where cc.state = 'confirmed' and r.urgent = 1 and r.in_queue = 1 and ${reportIds}
    union all
    select 'agency:' || ra.agency_id as scope, cc.compound_id, cc.report_id from compound_cases cc
      inner join reports r on r.id = cc.report_id
      inner join report_agencies ra on ra.report_id = cc.report_id
      inner join report_routing rr on rr.report_id = cc.report_id
      where cc.state = 'confirmed' and r.urgent = 1 and r.in_queue = 1 and rr.withheld = 0 and ${reportIds}`;
}

/** Works out again what these reports add, inside the refresh, and moves the kept counts by the difference. */
export async function refreshHeldCases(trx: Kysely<Database>, reportIds: readonly string[]): Promise<void> {
  const unique = [...new Set(reportIds)];
  const delta = new Map<string, { scope: string; compound: string; held: number }>();
  const move = (scope: string, compound: string, by: number) => {
    const key = JSON.stringify([scope, compound]);
    const entry = delta.get(key) ?? { scope, compound, held: 0 };
    entry.held += by;
    delta.set(key, entry);
  };
  for (let at = 0; at < unique.length; at += 500) {
    const ids = unique.slice(at, at + 500);
    const { rows: before } = await sql<{ scope: string; compound_id: string }>`
      select scope, compound_id from dashboard_held_cases where report_id in (${sql.join(ids)})`.execute(trx);
    const { rows: now } = await heldCasesOf(sql`cc.report_id in (${sql.join(ids)})`).execute(trx);
    for (const row of before) move(row.scope, row.compound_id, -1);
    for (const row of now) move(row.scope, row.compound_id, 1);
    await sql`delete from dashboard_held_cases where report_id in (${sql.join(ids)})`.execute(trx);
    if (now.length > 0)
      await sql`insert into dashboard_held_cases (scope, compound_id, report_id)
        values ${sql.join(now.map((row) => sql`(${row.scope}, ${row.compound_id}, ${row.report_id})`))}`.execute(trx);
  }
  const moved = [...delta.values()].filter((entry) => entry.held !== 0);
  for (let at = 0; at < moved.length; at += 500)
    await sql`insert into dashboard_held_counts (scope, compound_id, held)
      values ${sql.join(moved.slice(at, at + 500).map((entry) => sql`(${entry.scope}, ${entry.compound}, ${entry.held})`))}
      on conflict (scope, compound_id) do update set held = dashboard_held_counts.held + excluded.held`.execute(trx);
}

/**
 * The compounds with the most people held now in the viewer's scope, from
 * the kept counts: as many rows as the register has compounds with someone
 * held, never the cases. Same order as `compoundsHeldNow`.
 */
export async function keptCompoundsHeldNow(db: Kysely<Database>, scope: DashboardScope): Promise<CompoundHeldNow[]> {
  const { rows } = await sql<{ id: string; name: string; country: string; status: string; held: number | string }>`
    select compounds.id, compounds.name, compounds.country, compounds.status, kept.held
    from dashboard_held_counts kept
    inner join compounds on compounds.id = kept.compound_id
    where kept.scope = ${scopeKeyOf(scope)} and kept.held > 0
    order by kept.held desc, compounds.name
    limit ${compoundsShown}`.execute(db);
  return rows.map(compoundHeldNowOf);
}
