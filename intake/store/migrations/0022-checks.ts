import type { Kysely } from 'kysely';

/**
 * "Check before you pay": staff confirmations of indicators (what a public
 * warning stands on, found by blind index, and by partner hash prefix for the
 * range API), staff additions to the safelist, and disputes by the owner of a
 * number or site with the indicators they name. Nothing records who checked.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('check_confirmations')
    .addColumn('value_hash', 'text', (col) => col.primaryKey())
    .addColumn('kind', 'text', (col) => col.notNull())
    .addColumn('value_enc', 'text', (col) => col.notNull())
    .addColumn('partner_hash', 'text', (col) => col.notNull())
    .addColumn('partner_prefix', 'text', (col) => col.notNull())
    .addColumn('category', 'text', (col) => col.notNull())
    .addColumn('status', 'text', (col) => col.notNull())
    .addColumn('reporters', 'integer', (col) => col.notNull())
    .addColumn('changed_by', 'text', (col) => col.notNull())
    .addColumn('confirmed_at', 'text', (col) => col.notNull())
    .addColumn('changed_at', 'text', (col) => col.notNull())
    .addColumn('dispute_id', 'text')
    .execute();
  await db.schema
    .createIndex('check_confirmations_by_partner_prefix')
    .on('check_confirmations')
    .columns(['partner_prefix', 'status'])
    .execute();
  await db.schema
    .createIndex('check_confirmations_by_status')
    .on('check_confirmations')
    .columns(['status', 'changed_at'])
    .execute();

  await db.schema
    .createTable('check_safelist')
    .addColumn('value_hash', 'text', (col) => col.primaryKey())
    .addColumn('kind', 'text', (col) => col.notNull())
    .addColumn('value', 'text', (col) => col.notNull())
    .addColumn('source', 'text', (col) => col.notNull())
    .addColumn('added_by', 'text', (col) => col.notNull())
    .addColumn('added_at', 'text', (col) => col.notNull())
    .execute();

  await db.schema
    .createTable('check_disputes')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('reference', 'text', (col) => col.notNull().unique())
    .addColumn('channel', 'text', (col) => col.notNull())
    .addColumn('language', 'text', (col) => col.notNull())
    .addColumn('status', 'text', (col) => col.notNull())
    .addColumn('subject_enc', 'text', (col) => col.notNull())
    .addColumn('explanation_enc', 'text', (col) => col.notNull())
    .addColumn('contact_enc', 'text')
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('decided_at', 'text')
    .addColumn('decided_by', 'text')
    .execute();
  await db.schema
    .createIndex('check_disputes_by_status')
    .on('check_disputes')
    .columns(['status', 'created_at'])
    .execute();

  await db.schema
    .createTable('check_dispute_indicators')
    .addColumn('dispute_id', 'text', (col) => col.notNull().references('check_disputes.id'))
    .addColumn('value_hash', 'text', (col) => col.notNull())
    .addColumn('kind', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('check_dispute_indicators_pk', ['dispute_id', 'value_hash'])
    .execute();
  await db.schema
    .createIndex('check_dispute_indicators_by_hash')
    .on('check_dispute_indicators')
    .column('value_hash')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('check_dispute_indicators').execute();
  await db.schema.dropTable('check_disputes').execute();
  await db.schema.dropTable('check_safelist').execute();
  await db.schema.dropTable('check_confirmations').execute();
}
