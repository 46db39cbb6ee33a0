/** Shared rate limit counters (migration 0020): one row per limit, key and window. */
export interface RateLimitCountersTable {
  /** A keyed hash of the limit's name and the counted key (an address, a session): never either in the clear. */
  bucket: string;
  /** Start of the fixed window, ms since the epoch. */
  window_start: number;
  hits: number;
  /** When the row no longer weighs on any window (ms since the epoch): swept after that. */
  expires_at: number;
}

export interface RateLimitTables {
  rate_limit_counters: RateLimitCountersTable;
}
