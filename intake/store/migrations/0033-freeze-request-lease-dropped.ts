import type { Kysely } from 'kysely';

/**
 * `freeze_requests.send_lease_until` (0026) was never used: a freeze request is not sent by the press of Send
 * but queued in the mail outbox (0031), whose worker holds each e-mail with its own lease; two presses at once
 * take turns on the request's row and its one outbox row (`dedupe_key`), so the request needs no lease of its own.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('freeze_requests').dropColumn('send_lease_until').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('freeze_requests').addColumn('send_lease_until', 'text').execute();
}
