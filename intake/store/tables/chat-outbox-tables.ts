/**
 * Messages waiting to be shown in a person's chat, in the order they must
 * arrive. A conversation turn writes its messages here in the transaction that
 * saves the turn; the chat outbox worker sends them and records how it went.
 */
export interface ChatOutboxTable {
  id: string;
  conversation_id: string;
  /** Order within the chat: message n+1 is never sent before n is settled. */
  seq: number;
  channel: string;
  /** Encrypted: the channel's own rendering of the message (one platform request), which holds what they told us. */
  message_enc: string;
  /** Set when the message carries a staff message, whose chat status follows this row. */
  reporter_message_id: number | null;
  /** pending | sent | failed | stopped (the person blocked the bot). */
  status: string;
  attempts: number;
  next_attempt_at: string;
  /** While a worker holds the row; after a crash the row is taken again once this passes. */
  lease_until: string | null;
  /** A stable reason code (telegram.blocked, line.message_too_long …), never personal data. */
  last_error: string | null;
  created_at: string;
  sent_at: string | null;
}

export interface ChatOutboxTables {
  chat_outbox: ChatOutboxTable;
}
