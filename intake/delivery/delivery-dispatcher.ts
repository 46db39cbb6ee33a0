import { RetryBackoff, type RetryBackoffOptions } from '../retry-backoff.js';
import type { Kysely } from 'kysely';
import { systemClock, type Clock } from '../clock.js';
import type { Database } from '../store/database.js';
import { appendAuditEvent } from '../store/audit-log.js';
import { dialectKindOf } from '../store/dialect/dialect-kind.js';
import {
  caseEventTypes,
  recordedCaseEventTypes,
  type CaseEventType,
  type RecordedCaseEventType,
} from './case-event-types.js';
import { followRoutedDeliveryWithUrgent } from '../urgent/urgent-after-routed.js';
import { DeliveryError } from './delivery-senders.js';
import type { DeliveryMethod } from '../routing/routing-plan.js';
import { PollingLoop, workOffInBatches } from '../polling-loop.js';

export interface DueDelivery {
  id: string;
  reportId: string;
  agencyId: string;
  method: DeliveryMethod;
  attempts: number;
  /** The event it announces when it is not the case's routing: `case.updated` after an amendment. */
  event: RecordedCaseEventType | null;
  /** When the event happened (the case was routed to the agency, or amended): the same on every try. */
  createdAt: string;
}

/** Only the types this version records are read back; anything else is the case's routing, as before amendments. */
function recordedEventType(value: string | null): RecordedCaseEventType | null {
  return recordedCaseEventTypes.find((type) => type === value) ?? null;
}

/** Sends one delivery; resolves when the receiver acknowledged it, throws otherwise. */
/** Sends one delivery; it may say which event it sent (a case's routing: `case.routed` or `case.urgent`). */
export type DeliverySender = (delivery: DueDelivery, now: Date) => Promise<void | { sentAs: CaseEventType }>;

export interface DispatcherOptions extends RetryBackoffOptions {
  db: Kysely<Database>;
  send: DeliverySender;
  now?: Clock;
  /** Tries before a delivery is marked failed (and shown to staff). */
  maxAttempts?: number;
  /** How long a claimed delivery stays ours; after a crash it is retried once this passes. */
  leaseMs?: number;
  /** Deliveries handled at once. */
  concurrency?: number;
  onError?: (error: unknown) => void;
}

/**
 * Works off the delivery outbox. A delivery is claimed with a lease (so two
 * dispatchers, or one restarted after a crash, never work on it at once),
 * sent, and then marked delivered only after the receiver acknowledged it.
 * A failure is retried with exponential backoff and jitter; after the last
 * try the delivery is marked failed, where staff see it and can retry it.
 *
 * If the process dies between a receiver's acknowledgement and our record of
 * it, the delivery is sent again once its lease expires, with the same event
 * id, so the receiver can recognise it; nothing that was recorded as
 * acknowledged is ever sent again.
 */
export class DeliveryDispatcher {
  readonly #db: Kysely<Database>;
  readonly #send: DeliverySender;
  readonly #now: Clock;
  readonly #backoff: RetryBackoff;
  readonly #maxAttempts: number;
  readonly #leaseMs: number;
  readonly #concurrency: number;
  readonly #onError: (error: unknown) => void;
  readonly #loop: PollingLoop;
  /** Set by stop(): the deliveries in hand are finished, no new ones are claimed. */

  constructor(options: DispatcherOptions) {
    this.#db = options.db;
    this.#send = options.send;
    this.#now = options.now ?? systemClock;
    this.#backoff = new RetryBackoff(options, { baseDelayMs: 30_000, maxDelayMs: 6 * 60 * 60_000 });
    this.#maxAttempts = options.maxAttempts ?? 8;
    this.#leaseMs = options.leaseMs ?? 2 * 60_000;
    this.#concurrency = options.concurrency ?? 4;
    this.#onError = options.onError ?? (() => {});
    this.#loop = new PollingLoop(
      () => this.runOnce(),
      (error) => this.#onError(error),
    );
  }

  /** Delay before try number `attempts + 1`: exponential, capped, with jitter so retries do not stampede. */
  retryDelayMs(attempts: number): number {
    return this.#backoff.delayMs(attempts);
  }

  /** Claims and sends every delivery due now; returns how many were attempted. */
  async runOnce(): Promise<number> {
    // A stopping dispatcher finishes the deliveries in hand and claims no more: another instance takes the rest.
    return workOffInBatches(
      this.#loop,
      () => this.#claimDue(this.#concurrency),
      (delivery) => this.#attempt(delivery),
    );
  }

  /**
   * Claims up to `limit` due deliveries in one statement. On PostgreSQL rows another dispatcher is claiming at that
   * moment are skipped (`FOR UPDATE SKIP LOCKED`), not raced for: with several instances each claim wins what it
   * selected.
   */
  async #claimDue(limit: number): Promise<DueDelivery[]> {
    const now = this.#now();
    const nowText = now.toISOString();
    const due = this.#db
      .selectFrom('deliveries')
      .select('id')
      .where('status', '=', 'pending')
      .where('next_attempt_at', '<=', nowText)
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', nowText)]))
      .orderBy('urgent', 'desc')
      .orderBy('next_attempt_at')
      .limit(limit)
      .$if(dialectKindOf(this.#db) === 'postgres', (query) => query.forUpdate().skipLocked());
    const rows = await this.#db
      .updateTable('deliveries')
      .set({ lease_until: new Date(now.getTime() + this.#leaseMs).toISOString() })
      .where('id', 'in', due)
      .returning(['id', 'report_id', 'agency_id', 'method', 'attempts', 'created_at', 'urgent', 'next_attempt_at'])
      .execute();
    if (rows.length === 0) return [];
    const events = new Map(
      (
        await this.#db
          .selectFrom('delivery_events')
          .select(['delivery_id', 'event_type'])
          .where(
            'delivery_id',
            'in',
            rows.map((row) => row.id),
          )
          .execute()
      ).map((row) => [row.delivery_id, row.event_type]),
    );
    return rows
      .sort((a, b) => b.urgent - a.urgent || a.next_attempt_at.localeCompare(b.next_attempt_at))
      .map((row) => ({
        id: row.id,
        reportId: row.report_id,
        agencyId: row.agency_id,
        method: row.method as DeliveryMethod,
        attempts: row.attempts,
        event: recordedEventType(events.get(row.id) ?? null),
        createdAt: row.created_at,
      }));
  }

  async #attempt(delivery: DueDelivery): Promise<void> {
    const attempts = delivery.attempts + 1;
    let sent: void | { sentAs: CaseEventType };
    try {
      sent = await this.#send(delivery, this.#now());
    } catch (error) {
      await this.#recordFailure(delivery, attempts, error);
      return;
    }
    const at = this.#now();
    let followed = 0;
    await this.#db.transaction().execute(async (trx) => {
      // First, as amendments do, so the report row is always held before a delivery row (no lock-order deadlock).
      // The case's routing went out as `case.routed` while an amendment was making the case urgent: the agency is
      // owed its `case.urgent` (the amendment left it to this delivery, whose document was built before it).
      if (delivery.event === null && sent?.sentAs === caseEventTypes.routed)
        followed = await followRoutedDeliveryWithUrgent(trx, delivery, at);
      await trx
        .updateTable('deliveries')
        .set({ status: 'delivered', attempts, delivered_at: at.toISOString(), lease_until: null, last_error: null })
        .where('id', '=', delivery.id)
        .execute();
      await appendAuditEvent(trx, {
        actor: 'dispatcher',
        action: 'delivery.delivered',
        reportId: delivery.reportId,
        at,
        detail: { deliveryId: delivery.id, agencyId: delivery.agencyId, method: delivery.method, attempts },
      });
    });
    if (followed > 0) this.nudge();
  }

  async #recordFailure(delivery: DueDelivery, attempts: number, error: unknown): Promise<void> {
    const at = this.#now();
    const message = error instanceof DeliveryError ? error.message : 'unexpected error while sending';
    if (!(error instanceof DeliveryError)) this.#onError(error);
    const final = attempts >= this.#maxAttempts || (error instanceof DeliveryError && !error.retryable);
    await this.#db.transaction().execute(async (trx) => {
      await trx
        .updateTable('deliveries')
        .set({
          status: final ? 'failed' : 'pending',
          attempts,
          last_error: message,
          lease_until: null,
          next_attempt_at: final
            ? at.toISOString()
            : new Date(at.getTime() + this.retryDelayMs(attempts)).toISOString(),
        })
        .where('id', '=', delivery.id)
        .execute();
      if (final) {
        await appendAuditEvent(trx, {
          actor: 'dispatcher',
          action: 'delivery.failed',
          reportId: delivery.reportId,
          at,
          detail: {
            deliveryId: delivery.id,
            agencyId: delivery.agencyId,
            method: delivery.method,
            attempts,
            error: message,
          },
        });
      }
    });
  }

  /** Polls the outbox until stop(); `nudge()` makes it look at once (after a new report). */
  start(pollIntervalMs = 2_000): void {
    this.#loop.start(pollIntervalMs);
  }

  nudge(): void {
    this.#loop.nudge();
  }

  /** Stops polling and waits for deliveries under way to finish being recorded. */
  async stop(): Promise<void> {
    await this.#loop.stop();
  }
}
