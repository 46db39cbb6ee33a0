import type { Kysely } from 'kysely';

/**
 * The register of scam compounds kept by hotline staff, and which cases are
 * (proposed to be, or confirmed to be) about which compound.
 *
 * A compound is a known place, not a person: its name, aliases and
 * coordinates are stored as they are. `revision` grows with every edit of
 * what it is matched by; the compound matcher proposes the compound for
 * existing reports until `matched_revision` has caught up with it.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('compounds')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('country', 'text', (col) => col.notNull())
    .addColumn('area', 'text')
    .addColumn('latitude', 'double precision')
    .addColumn('longitude', 'double precision')
    // JSON arrays of text: names in several scripts, and what people see around it.
    .addColumn('aliases', 'text', (col) => col.notNull().defaultTo('[]'))
    .addColumn('landmarks', 'text', (col) => col.notNull().defaultTo('[]'))
    .addColumn('status', 'text', (col) => col.notNull())
    .addColumn('notes', 'text')
    .addColumn('revision', 'integer', (col) => col.notNull().defaultTo(1))
    .addColumn('matched_revision', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('created_by', 'text', (col) => col.notNull())
    .addColumn('updated_at', 'text', (col) => col.notNull())
    .addColumn('updated_by', 'text', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('compounds_by_country').on('compounds').columns(['country', 'name']).execute();

  await db.schema
    .createTable('compound_cases')
    .addColumn('compound_id', 'text', (col) => col.notNull().references('compounds.id').onDelete('cascade'))
    .addColumn('report_id', 'text', (col) => col.notNull().references('reports.id').onDelete('cascade'))
    .addColumn('state', 'text', (col) => col.notNull())
    .addColumn('reason', 'text', (col) => col.notNull())
    // JSON without personal data: the distance in metres, the name that matched, the linked report's reference.
    .addColumn('detail', 'text', (col) => col.notNull().defaultTo('{}'))
    .addColumn('proposed_at', 'text', (col) => col.notNull())
    .addColumn('decided_at', 'text')
    .addColumn('decided_by', 'text')
    .addPrimaryKeyConstraint('compound_cases_pk', ['compound_id', 'report_id'])
    .execute();
  await db.schema
    .createIndex('compound_cases_by_report')
    .on('compound_cases')
    .columns(['report_id', 'state'])
    .execute();
  await db.schema
    .createIndex('compound_cases_by_state')
    .on('compound_cases')
    .columns(['compound_id', 'state', 'report_id'])
    .execute();

  // Which version of each report (its `updated_at`) the matcher has looked at, so each is looked at once per change.
  await db.schema
    .createTable('compound_report_scans')
    .addColumn('report_id', 'text', (col) => col.primaryKey().references('reports.id').onDelete('cascade'))
    .addColumn('report_updated_at', 'text', (col) => col.notNull())
    .addColumn('scanned_at', 'text', (col) => col.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('compound_report_scans').execute();
  await db.schema.dropTable('compound_cases').execute();
  await db.schema.dropTable('compounds').execute();
}
