export interface StaffUsersTable {
  id: string;
  username: string;
  password_hash: string;
  /** hotline | supervisor | admin | agency */
  role: string;
  agency_id: string | null;
  totp_secret_enc: string | null;
  /** No longer read (see migration 0010): failures are counted per name in sign_in_attempts. */
  failed_logins: number;
  /** No longer read (see migration 0010). */
  locked_until: string | null;
  created_at: string;
  disabled_at: string | null;
}

/** A signed-in browser. Only a hash of the cookie's token is stored. */
export interface StaffSessionsTable {
  token_hash: string;
  user_id: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  revoked_at: string | null;
}

/**
 * Wrong sign-ins in a row for one username, existing or not, keyed by a
 * keyed hash of the normalized name (never the name itself).
 */
export interface SignInAttemptsTable {
  name_hash: string;
  failures: number;
  locked_until: string | null;
  last_failed_at: string;
}

export interface AccountTables {
  staff_users: StaffUsersTable;
  staff_sessions: StaffSessionsTable;
  sign_in_attempts: SignInAttemptsTable;
}
