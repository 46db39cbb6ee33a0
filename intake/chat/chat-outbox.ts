import type { Transaction } from 'kysely';
import type { Channel } from '../report/report-schema.js';
import { conversationUserContext } from '../store/conversation-store.js';
import type { Database } from '../store/database.js';
import { dialectKindOf } from '../store/dialect/dialect-kind.js';
import type { ReportFollowups } from '../store/report-followups.js';
import { StoreBase, type StoreDependencies } from '../store/store-base.js';
import { newTimeOrderedId } from '../store/time-ordered-id.js';
import type { OutboxMessage } from './chat-channel.js';

/** A message the worker holds the lease of, ready to send. */
export interface ClaimedChatMessage {
  id: string;
  conversationId: string;
  seq: number;
  channel: Channel;
  /** The channel's address of the person (chat id, LINE user id). */
  recipient: string;
  message: OutboxMessage;
  reporterMessageId: number | null;
  /**
   * Tries of this message begun before this one, one that never recorded its outcome included (its sender died, or
   * its lease ran out): any of them may have reached the platform though its answer never came.
   */
  attempts: number;
  queuedAt: Date;
}

/** What one chat's queue holds, for tests and for staff views: order, state and reason, never content. */
export interface ChatOutboxEntry {
  id: string;
  seq: number;
  status: 'pending' | 'sent' | 'failed' | 'stopped';
  attempts: number;
  lastError: string | null;
  reporterMessageId: number | null;
}

/** The encryption context of a queued message: its row's id. */
export const chatOutboxMessageContext = (id: string) => `chat-outbox:${id}:message`;

/**
 * The durable per-chat outbox. Messages are appended inside the caller's
 * transaction (a conversation turn, a staff reply), each with the next
 * sequence number of its chat; the worker takes only the head of each chat,
 * so message n+1 never goes out before n is settled (sent, refused for good,
 * or stopped because the person blocked the bot).
 */
export class ChatOutbox extends StoreBase {
  readonly #followups: ReportFollowups;

  constructor(dependencies: StoreDependencies & { followups: ReportFollowups }) {
    super(dependencies);
    this.#followups = dependencies.followups;
  }

  /** Appends messages to a chat's queue, in `trx`; returns the ids of the rows written. */
  async enqueue(
    trx: Transaction<Database>,
    entry: { conversationId: string; channel: Channel; messages: OutboxMessage[]; reporterMessageId?: number },
  ): Promise<string[]> {
    const count = entry.messages.length;
    if (count === 0) return [];
    // A staff message queued again: its earlier, settled rows no longer decide its chat status.
    if (entry.reporterMessageId !== undefined)
      await trx
        .updateTable('chat_outbox')
        .set({ reporter_message_id: null })
        .where('reporter_message_id', '=', entry.reporterMessageId)
        .where('status', '!=', 'pending')
        .execute();
    // Taking the numbers updates the conversation's row: a second writer of this chat waits for this one.
    await trx
      .updateTable('conversations')
      .set((eb) => ({ outbox_seq: eb('outbox_seq', '+', count) }))
      .where('id', '=', entry.conversationId)
      .execute();
    const { outbox_seq: last } = await trx
      .selectFrom('conversations')
      .select('outbox_seq')
      .where('id', '=', entry.conversationId)
      .executeTakeFirstOrThrow();
    const at = this.now().toISOString();
    const rows = entry.messages.map((message, index) => {
      const id = newTimeOrderedId();
      return {
        id,
        conversation_id: entry.conversationId,
        seq: Number(last) - count + 1 + index,
        channel: entry.channel,
        message_enc: this.cipher.encryptJson(message, chatOutboxMessageContext(id)),
        reporter_message_id: entry.reporterMessageId ?? null,
        status: 'pending',
        attempts: 0,
        next_attempt_at: at,
        lease_until: null,
        last_error: null,
        created_at: at,
        sent_at: null,
      };
    });
    await trx.insertInto('chat_outbox').values(rows).execute();
    return rows.map((row) => row.id);
  }

  /**
   * The worker's heartbeat: messages it is still sending keep their lease from now for `leaseMs` more, so a slow
   * send keeps its message while a dead process's lease runs out within one short lease. Only a message still this
   * claim's is renewed (its attempts are what the claim set): returns the ids renewed, so a sender that stalled
   * past its lease, and whose message another sender claimed since, learns that it no longer holds it (and does
   * not send it, nor keep the other's lease going).
   */
  async renewLeases(
    claims: readonly Pick<ClaimedChatMessage, 'id' | 'attempts'>[],
    leaseMs: number,
  ): Promise<string[]> {
    if (claims.length === 0) return [];
    const rows = await this.db
      .updateTable('chat_outbox')
      .set({ lease_until: new Date(this.now().getTime() + leaseMs).toISOString() })
      .where('status', '=', 'pending')
      .where((eb) =>
        eb.or(claims.map((claim) => eb.and([eb('id', '=', claim.id), eb('attempts', '=', claim.attempts + 1)]))),
      )
      .returning('id')
      .execute();
    return rows.map((row) => row.id);
  }

  /**
   * Leases the due head message of up to `limit` chats of the given channels, in one statement: the heads are
   * chosen and leased together (on PostgreSQL with `FOR UPDATE SKIP LOCKED`: rows another worker is leasing at
   * that moment are passed over, not waited for, and a row whose lease another worker took in the meantime is
   * checked again and left), so two workers never get the same message, and a worker that finds heads leases
   * them instead of losing them to another and coming back empty while other chats wait.
   */
  async claimDue(channels: readonly Channel[], limit: number, leaseMs: number): Promise<ClaimedChatMessage[]> {
    if (channels.length === 0) return [];
    const now = this.now();
    const nowText = now.toISOString();
    const postgres = dialectKindOf(this.db) === 'postgres';
    const heads = this.db
      .selectFrom('chat_outbox as o')
      .select('o.id')
      .where('o.status', '=', 'pending')
      .where('o.channel', 'in', [...channels])
      .where('o.next_attempt_at', '<=', nowText)
      .where((eb) => eb.or([eb('o.lease_until', 'is', null), eb('o.lease_until', '<', nowText)]))
      // Only the head of a chat: an earlier message still pending holds the later ones back.
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('chat_outbox as p')
              .select('p.id')
              .whereRef('p.conversation_id', '=', 'o.conversation_id')
              .where('p.status', '=', 'pending')
              .whereRef('p.seq', '<', 'o.seq'),
          ),
        ),
      )
      .orderBy('o.next_attempt_at')
      .orderBy('o.id')
      .limit(limit)
      .$if(postgres, (query) => query.forUpdate(['o']).skipLocked());
    const rows = await this.db
      .updateTable('chat_outbox')
      // A try counts from its claim, not from its outcome: one whose sender died before recording how it went is
      // counted too, so the next try knows the platform may have taken it (and a message that kills its sender
      // every time stops after the last try instead of being sent forever).
      .set((eb) => ({
        lease_until: new Date(now.getTime() + leaseMs).toISOString(),
        attempts: eb('attempts', '+', 1),
      }))
      .where('id', 'in', heads)
      .returning([
        'id',
        'conversation_id',
        'seq',
        'channel',
        'message_enc',
        'reporter_message_id',
        'attempts',
        'created_at',
        'next_attempt_at',
      ])
      .execute();
    if (rows.length === 0) return [];
    const recipients = new Map(
      (
        await this.db
          .selectFrom('conversations')
          .select(['id', 'channel_user_enc'])
          .where('id', 'in', [...new Set(rows.map((row) => row.conversation_id))])
          .execute()
      ).map((row) => [row.id, row.channel_user_enc]),
    );
    return rows
      .sort((a, b) => a.next_attempt_at.localeCompare(b.next_attempt_at) || a.id.localeCompare(b.id))
      .map((row) => ({
        id: row.id,
        conversationId: row.conversation_id,
        seq: Number(row.seq),
        channel: row.channel as Channel,
        recipient: this.cipher.decrypt(
          recipients.get(row.conversation_id)!,
          conversationUserContext(row.conversation_id),
        ),
        message: this.cipher.decryptJson<OutboxMessage>(row.message_enc, chatOutboxMessageContext(row.id)),
        reporterMessageId: row.reporter_message_id === null ? null : Number(row.reporter_message_id),
        // The tries before this one: the outcome of this one records `attempts + 1`, the count the claim set.
        attempts: Number(row.attempts) - 1,
        queuedAt: new Date(row.created_at),
      }));
  }

  /**
   * Records a message the platform took. Each outcome is written only while the message is still this try's (its
   * attempts are what this claim set): a sender that lost its lease while it stalled, and whose message another
   * sender claimed since, records nothing, so it can neither settle a message the other is sending nor let the
   * chat's next message go out before that one (which a person saw as a message again after the next).
   */
  async markSent(message: ClaimedChatMessage): Promise<void> {
    const at = this.now().toISOString();
    await this.db.transaction().execute(async (trx) => {
      const marked = await trx
        .updateTable('chat_outbox')
        .set({ status: 'sent', attempts: message.attempts + 1, sent_at: at, lease_until: null, last_error: null })
        .where('id', '=', message.id)
        .where('attempts', '=', message.attempts + 1)
        .executeTakeFirst();
      if (Number(marked.numUpdatedRows) === 0) return;
      await this.#settleReporterMessage(trx, message.reporterMessageId);
    });
  }

  /** Puts a message back for a later try, keeping its place at the head of its chat. */
  async markRetry(message: ClaimedChatMessage, reason: string, nextAttemptAt: Date): Promise<void> {
    await this.db
      .updateTable('chat_outbox')
      .set({
        attempts: message.attempts + 1,
        last_error: reason,
        lease_until: null,
        next_attempt_at: nextAttemptAt.toISOString(),
      })
      .where('id', '=', message.id)
      .where('attempts', '=', message.attempts + 1)
      .execute();
  }

  /** Records a message the platform refuses for good (or after its last try); the chat goes on with the next. */
  async markFailed(message: ClaimedChatMessage, reason: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const marked = await trx
        .updateTable('chat_outbox')
        .set({ status: 'failed', attempts: message.attempts + 1, last_error: reason, lease_until: null })
        .where('id', '=', message.id)
        .where('attempts', '=', message.attempts + 1)
        .executeTakeFirst();
      if (Number(marked.numUpdatedRows) === 0) return;
      await this.#settleReporterMessage(trx, message.reporterMessageId);
    });
  }

  /**
   * The person blocked the bot: the conversation is marked stopped and every
   * message still waiting in this chat stops with the same reason; staff see
   * their replies as failed and may resend once the person is back.
   */
  async stopChat(message: ClaimedChatMessage, reason: string): Promise<void> {
    const at = this.now().toISOString();
    await this.db.transaction().execute(async (trx) => {
      const waiting = await trx
        .selectFrom('chat_outbox')
        .select('reporter_message_id')
        .where('conversation_id', '=', message.conversationId)
        .where('status', '=', 'pending')
        .execute();
      await trx
        .updateTable('chat_outbox')
        .set({ status: 'stopped', last_error: reason, lease_until: null })
        .where('conversation_id', '=', message.conversationId)
        .where('status', '=', 'pending')
        .execute();
      await trx
        .updateTable('chat_outbox')
        .set({ attempts: message.attempts + 1 })
        .where('id', '=', message.id)
        .execute();
      await trx
        .updateTable('conversations')
        .set({ status: 'stopped', updated_at: at })
        .where('id', '=', message.conversationId)
        .execute();
      const staffMessages = new Set(
        waiting.flatMap((row) => (row.reporter_message_id === null ? [] : [row.reporter_message_id])),
      );
      for (const id of staffMessages) await this.#followups.recordChatDelivery(Number(id), 'failed', reason, trx);
    });
  }

  /** A staff message's chat status once none of its rows is pending: failed if any failed, else sent. */
  async #settleReporterMessage(trx: Transaction<Database>, reporterMessageId: number | null): Promise<void> {
    if (reporterMessageId === null) return;
    const rows = await trx
      .selectFrom('chat_outbox')
      .select(['status', 'last_error'])
      .where('reporter_message_id', '=', reporterMessageId)
      .orderBy('seq')
      .execute();
    if (rows.some((row) => row.status === 'pending')) return;
    const failed = rows.find((row) => row.status !== 'sent');
    await this.#followups.recordChatDelivery(
      reporterMessageId,
      failed ? 'failed' : 'sent',
      failed ? (failed.last_error ?? 'chat.failed') : null,
      trx,
    );
  }

  /** Every message of one chat in order, without content: what a test or an operator checks. */
  async entriesOf(conversationId: string): Promise<ChatOutboxEntry[]> {
    const rows = await this.db
      .selectFrom('chat_outbox')
      .select(['id', 'seq', 'status', 'attempts', 'last_error', 'reporter_message_id'])
      .where('conversation_id', '=', conversationId)
      .orderBy('seq')
      .execute();
    return rows.map((row) => ({
      id: row.id,
      seq: Number(row.seq),
      status: row.status as ChatOutboxEntry['status'],
      attempts: Number(row.attempts),
      lastError: row.last_error,
      reporterMessageId: row.reporter_message_id === null ? null : Number(row.reporter_message_id),
    }));
  }
}
