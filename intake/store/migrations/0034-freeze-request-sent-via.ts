import type { Kysely } from 'kysely';

/**
 * How a freeze request reached whoever can freeze the account: `email` (the mail outbox, to a deployment's fraud
 * desk), `phone` or `form` (staff called a national anti-scam centre, or filled in its web form, and recorded it;
 * intake/mules/record-freeze-request.ts). Null for requests sent by e-mail before this column.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('freeze_requests').addColumn('sent_via', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('freeze_requests').dropColumn('sent_via').execute();
}
