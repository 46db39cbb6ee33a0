import type { Generated } from 'kysely';

/**
 * Webhook events recorded before they are answered 200, so that an event
 * the channel considers delivered is never lost to a crash: it is worked off
 * from here, and picked up again after a restart.
 */
export interface InboundEventsTable {
  id: Generated<number>;
  channel: string;
  /** The channel's own id of the event (LINE's webhookEventId): a redelivery is recognised by it. */
  event_key: string;
  payload_enc: string;
  received_at: string;
  processed_at: string | null;
  attempts: number;
  last_error: string | null;
  /** Whose event it is (a blind index): one subject's events are handled one at a time, in order. */
  subject: string | null;
  /** Claimed by an instance until then; also when a failed event may be tried again. */
  claimed_until: string | null;
  /** The platform's own number of the event (Telegram's update_id), when it numbers them: a subject's order. */
  platform_order: number | string | null;
}

export interface InboundEventTables {
  inbound_events: InboundEventsTable;
}
