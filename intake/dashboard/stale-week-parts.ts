import { sql, type Kysely } from 'kysely';
import type { Database } from '../store/database.js';
import { dialectKindOf } from '../store/dialect/dialect-kind.js';
import { weekStartOf } from '../store/dialect/dashboard-sql.js';
import type { PartName } from './week-figures.js';

export interface StaleWeekPart {
  week: string;
  part: PartName;
}

/** What the marks taken change: weeks' parts, and the reports whose share of "people held now" may have moved. */
export interface TakenMarks {
  parts: StaleWeekPart[];
  /** Reports marked `held` (migration 0036) or `scope` (0030): `refreshHeldCases` works them out again. */
  heldReports: string[];
}

/**
 * Takes every mark the triggers of migration 0030 left (what changed: a
 * report's week, a clock's week, a value of a report, a report's link, a
 * report's scope) and works out, in the same statement, the weeks and parts
 * whose figures they change. Run inside the refresh, one at a time.
 *
 * The weeks are worked out here, not in the trigger, so that they are read
 * with every write whose mark is taken visible: a mark commits with its write,
 * so a mark this statement sees belongs to a write its snapshot sees too (on
 * PostgreSQL, READ COMMITTED, the snapshot of this one statement; on SQLite the
 * refresh holds the only write lock). Of two racing writes (an old report
 * given a phone while a new report names it), the one committed last has its
 * mark taken by a later refresh, which sees both rows. A mark committed after
 * this statement's snapshot is not taken (PostgreSQL's delete leaves a row it
 * cannot see) and waits for the next refresh. Marks are taken by what was
 * seen, never by an id range: ids are handed out at insert, not at commit.
 */
export async function takeStaleWeekParts(db: Kysely<Database>): Promise<TakenMarks> {
  const weekOf = (column: string) => weekStartOf(db, column);
  const ofCause = (causes: readonly string[]) =>
    sql`select report_id, value_hash from taken where cause in (${sql.join(causes)})`;
  // Every branch reads each report or value once, however many marks name it (a set, never a join of marks with
  // holders: a common value's thousands of holders times its thousands of marks after a bulk load).
  const weeks = sql`
    select week, 'counts' as part from taken where cause = 'reported-week'
    union select week, 'links' as part from taken where cause = 'reported-week'
    union select week, 'clocks' as part from taken where cause = 'clock-week'
    union select ${weekOf('r.created_at')} as week, 'counts' as part from reports r
      where r.id in (select report_id from (${ofCause(['indicator', 'scope'])}) c)
    union select ${weekOf('r.created_at')} as week, 'links' as part from reports r
      where r.id in (select report_id from (${ofCause(['indicator', 'scope', 'link'])}) c)
    union select ${weekOf('r.created_at')} as week, 'links' as part from report_indicators holder
      inner join reports r on r.id = holder.report_id
      where holder.value_hash in (
        select value_hash from (${ofCause(['indicator'])}) c
        union select mine.value_hash from report_indicators mine
          where mine.report_id in (select report_id from (${ofCause(['scope'])}) c))
    union select ${weekOf('r.created_at')} as week, 'links' as part from report_link_overrides l
      inner join reports r on r.id = l.report_b
      where l.report_a in (select report_id from (${ofCause(['scope'])}) c)
    union select ${weekOf('r.created_at')} as week, 'links' as part from report_link_overrides l
      inner join reports r on r.id = l.report_a
      where l.report_b in (select report_id from (${ofCause(['scope'])}) c)
    union select ${weekOf('clock.urgent_since')} as week, 'clocks' as part from urgent_clocks clock
      where clock.report_id in (select report_id from (${ofCause(['scope'])}) c)`;
  // The held reports come out of the same statement as the weeks (as rows of part 'held'), so of the same snapshot.
  const taken = sql`select week, part from (${weeks}) stale where week is not null
    union select report_id as week, 'held' as part from taken where cause in ('held', 'scope')`;
  let rows: Array<{ week: string; part: PartName | 'held' }>;
  if (dialectKindOf(db) === 'postgres') {
    ({ rows } = await sql<{ week: string; part: PartName | 'held' }>`
      with taken as (delete from dashboard_stale_weeks returning cause, week, report_id, value_hash)
      ${taken}`.execute(db));
  } else {
    // SQLite: the refresh holds the write lock, so nothing is marked between reading the marks and removing them.
    ({ rows } = await sql<{ week: string; part: PartName | 'held' }>`
      with taken as (select cause, week, report_id, value_hash from dashboard_stale_weeks)
      ${taken}`.execute(db));
    await sql`delete from dashboard_stale_weeks`.execute(db);
  }
  return {
    parts: rows.filter((row): row is StaleWeekPart => row.part !== 'held'),
    heldReports: rows.filter((row) => row.part === 'held').map((row) => row.week),
  };
}
