import type { Generated } from 'kysely';

/**
 * One row per person per chat channel: where they are in the reporting
 * conversation. The state is encrypted (it holds what they typed); the
 * channel's user id is found again through a blind index.
 */
export interface ConversationsTable {
  id: string;
  channel: string;
  channel_user_hash: string;
  /** Encrypted channel address (chat id, LINE user id), to reply later from the staff console. */
  channel_user_enc: string;
  state_enc: string;
  /** Optimistic concurrency: two updates for one person never overwrite each other. */
  version: number;
  status: string;
  /** The last report this conversation submitted, for replies from staff. */
  report_id: string | null;
  /** The last sequence number given to a message of this chat in the chat outbox (0011-chat-outbox). */
  outbox_seq: Generated<number>;
  created_at: string;
  updated_at: string;
}

/** Updates already handled, so a redelivered webhook changes nothing. */
export interface ProcessedUpdatesTable {
  channel: string;
  update_key: string;
  processed_at: string;
}

export interface ConversationTables {
  conversations: ConversationsTable;
  processed_updates: ProcessedUpdatesTable;
}
