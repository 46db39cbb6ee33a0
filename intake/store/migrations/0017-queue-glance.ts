import type { Kysely } from 'kysely';

/**
 * What a queue row shows at a glance (see `reportGlanceColumns`). Reports
 * stored before this migration are filled in when the services open
 * (`backfillReportGlance`), since that needs the data key.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('reports')
    .addColumn('safety_flags', 'text', (col) => col.notNull().defaultTo(''))
    .execute();
  await db.schema.alterTable('reports').addColumn('loss_amount', 'double precision').execute();
  await db.schema.alterTable('reports').addColumn('loss_currency', 'text').execute();
  await db.schema
    .alterTable('reports')
    .addColumn('loss_other_currencies', 'integer', (col) => col.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('reports').addColumn('story_line_enc', 'text').execute();
  // 0 for a row written before these columns: `backfillReportGlance` fills it in (it needs the data key).
  await db.schema
    .alterTable('reports')
    .addColumn('glance_version', 'integer', (col) => col.notNull().defaultTo(0))
    .execute();
  // A queue page counts each row's linked reports from its own indicators' blind indexes: read by report, not scanned.
  await db.schema
    .createIndex('report_indicators_by_report')
    .on('report_indicators')
    .columns(['report_id', 'value_hash'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('report_indicators_by_report').execute();
  for (const column of [
    'glance_version',
    'story_line_enc',
    'loss_other_currencies',
    'loss_currency',
    'loss_amount',
    'safety_flags',
  ])
    await db.schema.alterTable('reports').dropColumn(column).execute();
}
