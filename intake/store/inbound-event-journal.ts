import type { Channel } from '../report/report-schema.js';
import { isUniqueViolation } from './dialect/constraint-errors.js';
import { StoreBase } from './store-base.js';

export interface PendingEvent {
  id: number;
  key: string;
  payload: unknown;
  attempts: number;
}

const payloadContext = (channel: string, key: string) => `inbound:${channel}:${key}`;

/** After this many failed tries an event is left for staff to look at, not tried forever. */
export const maxEventAttempts = 5;

/**
 * The journal of webhook events: recorded (encrypted: they hold what people
 * wrote) before the webhook answers, worked off in the order received, marked
 * when done. A redelivered event finds its key taken and is not recorded twice.
 */
export class InboundEventJournal extends StoreBase {
  /** Records the events of one webhook call in one transaction; returns how many were new. */
  async record(channel: Channel, events: Array<{ key: string; payload: unknown }>): Promise<number> {
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
          })
          .execute();
        recorded += 1;
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
      }
    }
    return recorded;
  }

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

  async markProcessed(id: number): Promise<void> {
    await this.db
      .updateTable('inbound_events')
      .set({ processed_at: this.now().toISOString() })
      .where('id', '=', id)
      .execute();
  }

  async markFailed(id: number, attempts: number, error: string): Promise<void> {
    await this.db.updateTable('inbound_events').set({ attempts, last_error: error }).where('id', '=', id).execute();
  }
}
