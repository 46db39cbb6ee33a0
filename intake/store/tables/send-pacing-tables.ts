/** Shared send pacing (migration 0029): when each slot of a channel's per-second allowance was last used. */
export interface SendPaceSlotsTable {
  /** The platform channel paced: `telegram`, `line`. */
  channel: string;
  /** 0 … perSecond − 1. */
  slot: number;
  /** The database's clock when the slot last let a send go (ms since the epoch; 0 for never). */
  sent_at_ms: number;
}

export interface SendPacingTables {
  send_pace_slots: SendPaceSlotsTable;
}
