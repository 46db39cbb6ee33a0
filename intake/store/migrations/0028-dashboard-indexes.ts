import type { Kysely } from 'kysely';

/**
 * The dashboard's indexes. Every figure is a GROUP BY over the reports of a
 * period: read from an index holding the columns it groups by, it never
 * touches the report rows (their encrypted content is most of their size).
 */
export async function up(db: Kysely<any>): Promise<void> {
  // Reports per week by kind, country and channel, and the urgent ones: a range of this index, nothing else.
  await db.schema
    .createIndex('reports_by_created_at')
    .on('reports')
    .columns(['created_at', 'category', 'current_country', 'channel', 'urgent'])
    .execute();
  // The most-reported lists and the linked share read a period's reports' indicators of some kinds.
  await db.schema
    .createIndex('report_indicators_by_report_kind')
    .on('report_indicators')
    .columns(['report_id', 'kind', 'value_hash'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('report_indicators_by_report_kind').execute();
  await db.schema.dropIndex('reports_by_created_at').execute();
}
