import { sql, type ColumnDefinitionBuilder, type Kysely } from 'kysely';
import { dialectKindOf } from '../dialect/dialect-kind.js';

/**
 * The dashboard's most-reported lists kept as counts per value
 * (intake/dashboard/kept-most-reported.ts), so a page reads the few values
 * it shows through an index on the count instead of adding up every value
 * of every week of its period.
 *
 * `dashboard_week_values`: per viewer's scope (`cache_key`, as in
 * `dashboard_week_figures`), week and listed value (blind index), how many
 * reports of that week carry it and the smallest of their ids. Written and
 * thrown away together with the week's `counts` part, by the refresh only.
 *
 * `dashboard_period_lists` / `dashboard_period_values`: per viewer's scope
 * and period (the periods ending with the current week), each value's
 * reports over the weeks named in `weeks`: always the sum of those weeks'
 * `dashboard_week_values`. A refresh that throws a week away subtracts it
 * first and drops it from `weeks`; a page of that period adds the week back
 * once counted again.
 *
 * On PostgreSQL the blind index and the ids compare byte by byte
 * (`collate "C"`), as the lists break ties in both databases, so the index on
 * the count also gives the order of ties and `min(sample)` the smallest id.
 * No trigger: these tables are written only by the refresh, which takes the
 * marks of migration 0030.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const bytes = (col: ColumnDefinitionBuilder) =>
    dialectKindOf(db) === 'postgres' ? col.notNull().modifyEnd(sql`collate "C"`) : col.notNull();
  await db.schema
    .createTable('dashboard_week_values')
    .addColumn('week', 'text', (col) => col.notNull())
    .addColumn('cache_key', 'text', (col) => col.notNull())
    .addColumn('value_hash', 'text', bytes)
    .addColumn('list', 'text', (col) => col.notNull())
    .addColumn('kind', 'text', (col) => col.notNull())
    .addColumn('reports', 'integer', (col) => col.notNull())
    .addColumn('sample', 'text', bytes)
    .addPrimaryKeyConstraint('dashboard_week_values_pk', ['week', 'cache_key', 'value_hash'])
    .execute();
  // The sample of a listed value: its rows of the period's weeks, a few per value shown.
  await db.schema
    .createIndex('dashboard_week_values_by_value')
    .on('dashboard_week_values')
    .columns(['cache_key', 'value_hash', 'week'])
    .execute();
  await db.schema
    .createTable('dashboard_period_lists')
    .addColumn('cache_key', 'text', (col) => col.notNull())
    .addColumn('period_from', 'text', (col) => col.notNull())
    .addColumn('period_to', 'text', (col) => col.notNull())
    .addColumn('weeks', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('dashboard_period_lists_pk', ['cache_key', 'period_from', 'period_to'])
    .execute();
  await db.schema
    .createTable('dashboard_period_values')
    .addColumn('cache_key', 'text', (col) => col.notNull())
    .addColumn('period_from', 'text', (col) => col.notNull())
    .addColumn('period_to', 'text', (col) => col.notNull())
    .addColumn('value_hash', 'text', bytes)
    .addColumn('list', 'text', (col) => col.notNull())
    .addColumn('kind', 'text', (col) => col.notNull())
    .addColumn('reports', 'integer', (col) => col.notNull())
    .addPrimaryKeyConstraint('dashboard_period_values_pk', ['cache_key', 'period_from', 'period_to', 'value_hash'])
    .execute();
  // A list's top values in the order shown (most reports first, ties by the blind index), read from the index.
  await db.schema
    .createIndex('dashboard_period_values_ranked')
    .on('dashboard_period_values')
    .columns(['cache_key', 'period_from', 'period_to', 'list', 'reports desc', 'value_hash'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('dashboard_period_values').execute();
  await db.schema.dropTable('dashboard_period_lists').execute();
  await db.schema.dropTable('dashboard_week_values').execute();
}
