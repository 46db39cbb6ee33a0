import { sql, type Kysely } from 'kysely';
import type { Database } from './database.js';
import { dialectKindOf } from './dialect/dialect-kind.js';

/** How long records that only served a moment are kept (the README's configuration lists both). */
export interface RetentionPolicy {
  /** A chat conversation that never became a report, counted from its last message. */
  abandonedConversationDays: number;
  /** A webhook event or update id already handled (kept to recognise a redelivery). */
  handledWebhookDays: number;
  /**
   * An e-mail of the mail outbox once settled, counted from when it was sent or given up (default 30): its
   * recipients and body (a freeze request names an account and an amount) are kept for whoever matches a bounce or
   * a bank's answer to it by its Message-ID, then deleted; what it did stays in the audit log and on the freeze
   * request. An e-mail still to be sent is kept however old it is.
   */
  settledMailDays?: number;
}

export const defaultSettledMailDays = 30;

export interface PurgedCounts {
  conversations: number;
  processedUpdates: number;
  inboundEvents: number;
  /** Quick-exit revocations past the cookie they revoked (0021-ended-visits). */
  endedVisits: number;
  /** Mail outbox e-mails sent or given up longer ago than `settledMailDays`. */
  mails: number;
  /** Another instance was purging at that moment: this one left it to it. */
  skipped?: true;
}

const dayMs = 24 * 60 * 60_000;

/**
 * Deletes what nobody needs any more and would otherwise pile up from
 * anyone's traffic: conversations abandoned before a report was stored
 * (their state holds what someone typed), and the journal of webhook
 * deliveries already handled, and the mail outbox's e-mails once sent or
 * given up. A conversation that stored a report is kept: staff reply to the
 * reporter through it. An event not yet handled, and an e-mail not yet sent
 * nor given up, are kept however old they are.
 */
export async function purgeExpiredRecords(
  db: Kysely<Database>,
  policy: RetentionPolicy,
  now: Date,
): Promise<PurgedCounts> {
  if (dialectKindOf(db) !== 'postgres') return purge(db, policy, now);
  // Several instances purge on the same schedule: one at a time does it (the lock ends with the transaction), the
  // others pass rather than wait behind it.
  return db.transaction().execute(async (trx) => {
    const { rows } = await sql<{ locked: boolean }>`select pg_try_advisory_xact_lock(
      hashtextextended('reportline:retention:' || current_database() || ':' || coalesce(current_schema(), ''), 0)
    ) as locked`.execute(trx);
    if (!rows[0]?.locked)
      return { conversations: 0, processedUpdates: 0, inboundEvents: 0, endedVisits: 0, mails: 0, skipped: true };
    return purge(trx, policy, now);
  });
}

async function purge(db: Kysely<Database>, policy: RetentionPolicy, now: Date): Promise<PurgedCounts> {
  const before = (days: number) => new Date(now.getTime() - days * dayMs).toISOString();
  const conversations = await db
    .deleteFrom('conversations')
    .where('report_id', 'is', null)
    .where('updated_at', '<', before(policy.abandonedConversationDays))
    .executeTakeFirst();
  const processedUpdates = await db
    .deleteFrom('processed_updates')
    .where('processed_at', '<', before(policy.handledWebhookDays))
    .executeTakeFirst();
  const inboundEvents = await db
    .deleteFrom('inbound_events')
    .where('processed_at', 'is not', null)
    .where('processed_at', '<', before(policy.handledWebhookDays))
    .executeTakeFirst();
  const endedVisits = await db
    .deleteFrom('ended_visits')
    .where('expires_at', '<=', now.toISOString())
    .executeTakeFirst();
  const settledBefore = before(policy.settledMailDays ?? defaultSettledMailDays);
  // A given-up e-mail's next_attempt_at is when it was given up (mail-outbox-worker.ts); Send queues a freeze
  // request's e-mail anew once its row is gone (send-freeze-request.ts).
  const mails = await db
    .deleteFrom('mail_outbox')
    .where((eb) =>
      eb.or([
        eb.and([eb('status', '=', 'sent'), eb('sent_at', '<', settledBefore)]),
        eb.and([eb('status', '=', 'failed'), eb('next_attempt_at', '<', settledBefore)]),
      ]),
    )
    .executeTakeFirst();
  return {
    endedVisits: Number(endedVisits.numDeletedRows),
    mails: Number(mails.numDeletedRows),
    conversations: Number(conversations.numDeletedRows),
    processedUpdates: Number(processedUpdates.numDeletedRows),
    inboundEvents: Number(inboundEvents.numDeletedRows),
  };
}
