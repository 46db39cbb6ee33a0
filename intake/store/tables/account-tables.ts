export interface StaffUsersTable {
  id: string;
  username: string;
  password_hash: string;
  /** hotline | supervisor | admin | agency */
  role: string;
  agency_id: string | null;
  totp_secret_enc: string | null;
  failed_logins: number;
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

export interface AccountTables {
  staff_users: StaffUsersTable;
  staff_sessions: StaffSessionsTable;
}
