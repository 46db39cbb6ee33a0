import { sql } from 'kysely';
import type { Channel } from '../report/report-schema.js';
import { isUniqueViolation } from './dialect/constraint-errors.js';
import { dialectKindOf } from './dialect/dialect-kind.js';
import { StoreBase, type StoreDependencies } from './store-base.js';

export interface PendingEvent {
  id: number;
  key: string;
  payload: unknown;
  attempts: number;
}

const payloadContext = (channel: string, key: string) => `inbound:${channel}:${key}`;

/** After this many failed tries an event is left for staff to look at, not tried forever. */
export const maxEventAttempts = 5;

export interface JournalClaimOptions {
  /**
   * How long a claimed event stays this instance's without a renewal; after a crash another takes it once this
   * passes. Short (10 s by default) because a person waits on it: the handler renews it while it works (`renew`).
   */
  leaseMs?: number;
  /** How long a failed event waits before it is tried again (times its tries so far). */
  retryDelayMs?: number;
}

const subjectScope = 'inbound-event-subject';

/** The claim lease when none is configured (LINE_EVENT_LEASE_SECONDS). */
export const defaultEventLeaseMs = 10_000;

/**
 * The journal of webhook events: recorded (encrypted: they hold what people
 * wrote) before the webhook answers, worked off in the order received, marked
 * when done. A redelivered event finds its key taken and is not recorded twice.
 *
 * Several instances work it off together: `claim` hands out only the oldest
 * open event of each subject (a person, a group chat), leased to the caller
 * (on PostgreSQL with `FOR UPDATE SKIP LOCKED`, so two instances never get
 * the same one), so one person's events are handled one at a time and in the
 * order received, whichever instance took the webhook. A failed event keeps
 * its place and holds the subject's later events until it is handled or given
 * up on after `maxEventAttempts` tries.
 */
export class InboundEventJournal extends StoreBase {
  readonly #leaseMs: number;
  readonly #retryDelayMs: number;

  constructor(dependencies: StoreDependencies & JournalClaimOptions) {
    super(dependencies);
    this.#leaseMs = dependencies.leaseMs ?? defaultEventLeaseMs;
    this.#retryDelayMs = dependencies.retryDelayMs ?? 2_000;
  }

  /**
   * Records the events of one webhook call; returns how many were new. `subject` says whose an event is
   * (the platform's user or chat id; kept only as a blind index); without one an event is ordered by nobody's.
   * `order` is the platform's own number of the event (Telegram's update_id): a subject's events are handled by
   * it, whichever was recorded first; without one, in the order recorded.
   */
  async record(
    channel: Channel,
    events: Array<{ key: string; payload: unknown; subject?: string; order?: number }>,
  ): Promise<number> {
    let recorded = 0;
    const at = this.now().toISOString();
    for (const event of events) {
      try {
        await this.db
          .insertInto('inbound_events')
          .values({
            channel,
            event_key: event.key,
            payload_enc: this.cipher.encryptJson(event.payload, payloadContext(channel, event.key)),
            received_at: at,
            processed_at: null,
            attempts: 0,
            last_error: null,
            subject: this.cipher.blindIndex(subjectScope, `${channel}:${event.subject ?? `event:${event.key}`}`),
            claimed_until: null,
            platform_order: event.order ?? null,
          })
          .execute();
        recorded += 1;
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
      }
    }
    return recorded;
  }

  /**
   * Claims up to `limit` events to handle now: for each subject only its oldest open event, and only when no
   * other instance holds it (its lease has not passed) and it is not waiting to be tried again. One by default:
   * a worker handles its events one after another, and an event claimed but not yet begun could outwait its lease
   * behind the others, be taken by another instance, and the person's next event handled before it is marked.
   */
  async claim(channel: Channel, limit = 1): Promise<PendingEvent[]> {
    const now = this.now();
    const nowText = now.toISOString();
    const postgres = dialectKindOf(this.db) === 'postgres';
    const heads = this.db
      .selectFrom('inbound_events as e')
      .select('e.id')
      .where('e.channel', '=', channel)
      .where('e.processed_at', 'is', null)
      .where('e.attempts', '<', maxEventAttempts)
      .where((eb) => eb.or([eb('e.claimed_until', 'is', null), eb('e.claimed_until', '<', nowText)]))
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('inbound_events as older')
              .select('older.id')
              .whereRef('older.channel', '=', 'e.channel')
              .whereRef('older.subject', '=', 'e.subject')
              .where('older.processed_at', 'is', null)
              .where('older.attempts', '<', maxEventAttempts)
              // Older by the platform's number when it gives one, else by when it was recorded.
              .where(sql<boolean>`coalesce(older.platform_order, older.id) < coalesce(e.platform_order, e.id)`),
          ),
        ),
      )
      .orderBy(sql`coalesce(e.platform_order, e.id)`)
      .orderBy('e.id')
      .limit(limit)
      // Rows another instance is claiming right now are passed over, not waited for.
      .$if(postgres, (query) => query.forUpdate(['e']).skipLocked());
    const rows = await this.db
      .updateTable('inbound_events')
      .set({ claimed_until: new Date(now.getTime() + this.#leaseMs).toISOString() })
      .where('id', 'in', heads)
      .returning(['id', 'event_key', 'payload_enc', 'attempts'])
      .execute();
    return rows
      .sort((a, b) => Number(a.id) - Number(b.id))
      .map((row) => ({
        id: Number(row.id),
        key: row.event_key,
        payload: this.cipher.decryptJson<unknown>(row.payload_enc, payloadContext(channel, row.event_key)),
        attempts: row.attempts,
      }));
  }

  /** How long a claim lasts: a worker renews its events well within this while it handles them. */
  get leaseMs(): number {
    return this.#leaseMs;
  }

  /**
   * The heartbeat of events still being handled: their lease starts again from now, so a slow turn keeps its
   * event while a crashed instance's lease runs out within one lease. Only events still open are renewed.
   */
  async renew(ids: number[]): Promise<void> {
    if (ids.length === 0) return;
    await this.db
      .updateTable('inbound_events')
      .set({ claimed_until: new Date(this.now().getTime() + this.#leaseMs).toISOString() })
      .where('id', 'in', ids)
      .where('processed_at', 'is', null)
      .execute();
  }

  /**
   * When the next open event that cannot be claimed now (held by a lease, or waiting to be tried again) becomes
   * claimable, or null when there is none: the worker looks again then instead of at its next round.
   */
  async nextClaimableAt(channel: Channel): Promise<Date | null> {
    const row = await this.db
      .selectFrom('inbound_events')
      .select((eb) => eb.fn.min('claimed_until').as('next'))
      .where('channel', '=', channel)
      .where('processed_at', 'is', null)
      .where('attempts', '<', maxEventAttempts)
      .where('claimed_until', '>=', this.now().toISOString())
      .executeTakeFirst();
    const next = row?.next;
    return typeof next === 'string' ? new Date(next) : null;
  }

  /** Every open event in the order received, claimed or not (for staff and tests; workers use `claim`). */
  async pending(channel: Channel, limit = 50): Promise<PendingEvent[]> {
    const rows = await this.db
      .selectFrom('inbound_events')
      .select(['id', 'event_key', 'payload_enc', 'attempts'])
      .where('channel', '=', channel)
      .where('processed_at', 'is', null)
      .where('attempts', '<', maxEventAttempts)
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map((row) => ({
      id: Number(row.id),
      key: row.event_key,
      payload: this.cipher.decryptJson<unknown>(row.payload_enc, payloadContext(channel, row.event_key)),
      attempts: row.attempts,
    }));
  }

  /** Whether the event with this key has been handled (a webhook waiting for its own event asks). */
  async isProcessed(channel: Channel, key: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('inbound_events')
      .select('processed_at')
      .where('channel', '=', channel)
      .where('event_key', '=', key)
      .executeTakeFirst();
    return typeof row?.processed_at === 'string';
  }

  async markProcessed(id: number): Promise<void> {
    await this.db
      .updateTable('inbound_events')
      .set({ processed_at: this.now().toISOString(), claimed_until: null })
      .where('id', '=', id)
      .execute();
  }

  /** A failed try: the event keeps its place (holding its subject's later events) and is tried again after a wait. */
  async markFailed(id: number, attempts: number, error: string): Promise<void> {
    const retryAt = new Date(this.now().getTime() + this.#retryDelayMs * attempts).toISOString();
    await this.db
      .updateTable('inbound_events')
      .set({ attempts, last_error: error, claimed_until: retryAt })
      .where('id', '=', id)
      .execute();
  }

  /** Hands back events claimed but not handled (a graceful stop), so another instance takes them at once. */
  async release(ids: number[]): Promise<void> {
    if (ids.length === 0) return;
    await this.db
      .updateTable('inbound_events')
      .set({ claimed_until: null })
      .where('id', 'in', ids)
      .where('processed_at', 'is', null)
      .execute();
  }
}
