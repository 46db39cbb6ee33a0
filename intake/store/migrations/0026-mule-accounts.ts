import type { Kysely } from 'kysely';

/**
 * Mule accounts. `account_payments`: each payment a report names to an account (a bank account, an IBAN, a wallet,
 * an e-wallet's number), by the account's blind index with the amount and currency, so the accounts several people
 * paid are counted and their losses summed without decrypting a report. `freeze_requests`: one note per report and
 * account paid recently, for the hotline to send to the bank's fraud desk, with its own clock (`due_at`) and the
 * state of its sending (claimed by a short lease, so two presses send once).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('account_payments')
    .addColumn('report_id', 'text', (col) => col.notNull().references('reports.id').onDelete('cascade'))
    .addColumn('payment_index', 'integer', (col) => col.notNull())
    .addColumn('account_kind', 'text', (col) => col.notNull())
    .addColumn('account_hash', 'text', (col) => col.notNull())
    .addColumn('amount', 'double precision', (col) => col.notNull())
    .addColumn('currency', 'text', (col) => col.notNull())
    .addColumn('paid_on', 'text')
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('account_payments_pk', ['report_id', 'payment_index'])
    .execute();
  await db.schema
    .createIndex('account_payments_by_account')
    .on('account_payments')
    .columns(['account_hash', 'currency'])
    .execute();

  await db.schema
    .createTable('freeze_requests')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('report_id', 'text', (col) => col.notNull().references('reports.id').onDelete('cascade'))
    .addColumn('account_kind', 'text', (col) => col.notNull())
    .addColumn('account_hash', 'text', (col) => col.notNull())
    .addColumn('bank', 'text')
    .addColumn('paid_on', 'text', (col) => col.notNull())
    .addColumn('amount', 'double precision', (col) => col.notNull())
    .addColumn('currency', 'text', (col) => col.notNull())
    .addColumn('note_enc', 'text', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('due_at', 'text', (col) => col.notNull())
    .addColumn('send_lease_until', 'text')
    .addColumn('sent_at', 'text')
    .addColumn('sent_by', 'text')
    .addColumn('sent_to', 'text')
    .addColumn('last_error', 'text')
    .addUniqueConstraint('freeze_requests_once_per_account', ['report_id', 'account_hash'])
    .execute();
  await db.schema.createIndex('freeze_requests_open').on('freeze_requests').columns(['sent_at', 'due_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('freeze_requests').execute();
  await db.schema.dropTable('account_payments').execute();
}
