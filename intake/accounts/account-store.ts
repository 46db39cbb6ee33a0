import { createHash, randomBytes } from 'node:crypto';
import { appendAuditEvent } from '../store/audit-log.js';
import { StoreBase } from '../store/store-base.js';
import { isUniqueViolation } from '../store/dialect/constraint-errors.js';
import { newTimeOrderedId } from '../store/time-ordered-id.js';
import { hashPassword, verifyPassword } from './password-hash.js';
import { newTotpSecret, verifyTotp } from './totp.js';

export const staffRoles = ['hotline', 'supervisor', 'admin', 'agency'] as const;
export type StaffRole = (typeof staffRoles)[number];

export interface StaffUser {
  id: string;
  username: string;
  role: StaffRole;
  agencyId: string | null;
  totpEnabled: boolean;
}

export type LoginResult =
  | { ok: true; user: StaffUser }
  | { ok: false; reason: 'invalid' | 'locked' | 'second_factor_required' };

export class AccountError extends Error {
  constructor(
    readonly code: 'account.username_taken' | 'account.agency_required' | 'account.weak_password' | 'account.not_found',
    message: string,
  ) {
    super(message);
  }
}

/** After this many wrong passwords in a row an account is locked for a while. */
export const maxFailedLogins = 5;
export const lockoutMs = 15 * 60_000;
/** A session ends after this long without use, and in any case after a long shift. */
export const sessionIdleMs = 2 * 60 * 60_000;
export const sessionMaxMs = 12 * 60 * 60_000;

const totpContext = (userId: string) => `staff-user:${userId}:totp`;
const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * A hash to compare against when the username is unknown, so that a wrong
 * username takes as long as a wrong password and names cannot be probed.
 */
let decoyHash: Promise<string> | undefined;

/**
 * Staff and agency accounts, their passwords (scrypt), optional second
 * factor (TOTP), lockout after repeated failures, and server-side sessions.
 */
export class AccountStore extends StoreBase {

  async createUser(input: { username: string; password: string; role: StaffRole; agencyId?: string }): Promise<StaffUser> {
    const username = input.username.trim().toLowerCase();
    if (input.role === 'agency' && !input.agencyId) throw new AccountError('account.agency_required', 'an agency account needs --agency ID');
    if (input.password.length < 12) throw new AccountError('account.weak_password', 'a password needs at least 12 characters');
    const id = newTimeOrderedId();
    const at = this.now();
    try {
      await this.db.transaction().execute(async (trx) => {
        await trx
          .insertInto('staff_users')
          .values({
            id,
            username,
            password_hash: await hashPassword(input.password),
            role: input.role,
            agency_id: input.role === 'agency' ? (input.agencyId ?? null) : null,
            totp_secret_enc: null,
            failed_logins: 0,
            locked_until: null,
            created_at: at.toISOString(),
            disabled_at: null,
          })
          .execute();
        await appendAuditEvent(trx, { actor: 'cli', action: 'account.created', at, detail: { userId: id, role: input.role } });
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new AccountError('account.username_taken', `the username ${username} is taken`);
      throw error;
    }
    return { id, username, role: input.role, agencyId: input.role === 'agency' ? (input.agencyId ?? null) : null, totpEnabled: false };
  }

  /** Turns on the second factor; returns the secret to show once as a QR code or text. */
  async enableTotp(userId: string): Promise<string> {
    const secret = newTotpSecret();
    const at = this.now();
    await this.db.transaction().execute(async (trx) => {
      const result = await trx
        .updateTable('staff_users')
        .set({ totp_secret_enc: this.cipher.encrypt(secret, totpContext(userId)) })
        .where('id', '=', userId)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) !== 1) throw new AccountError('account.not_found', 'no such account');
      await appendAuditEvent(trx, { actor: `user:${userId}`, action: 'account.totp_enabled', at });
    });
    return secret;
  }

  async login(username: string, password: string, totpCode: string | undefined): Promise<LoginResult> {
    const at = this.now();
    const row = await this.db
      .selectFrom('staff_users')
      .selectAll()
      .where('username', '=', username.trim().toLowerCase())
      .executeTakeFirst();
    if (!row || row.disabled_at !== null) {
      decoyHash ??= hashPassword(randomBytes(16).toString('hex'));
      await verifyPassword(password, await decoyHash);
      await appendAuditEvent(this.db, { actor: 'anonymous', action: 'login.failed', at, detail: { reason: 'unknown_user' } });
      return { ok: false, reason: 'invalid' };
    }
    if (row.locked_until !== null && row.locked_until > at.toISOString()) {
      await appendAuditEvent(this.db, { actor: `user:${row.id}`, action: 'login.refused_locked', at });
      return { ok: false, reason: 'locked' };
    }
    const passwordOk = await verifyPassword(password, row.password_hash);
    const secret = row.totp_secret_enc ? this.cipher.decrypt(row.totp_secret_enc, totpContext(row.id)) : undefined;
    if (passwordOk && secret && !totpCode) return { ok: false, reason: 'second_factor_required' };
    const secondFactorOk = !secret || (totpCode !== undefined && verifyTotp(secret, totpCode, at));
    if (!passwordOk || !secondFactorOk) {
      const failures = row.failed_logins + 1;
      const lock = failures >= maxFailedLogins;
      await this.db.transaction().execute(async (trx) => {
        await trx
          .updateTable('staff_users')
          .set({
            failed_logins: lock ? 0 : failures,
            locked_until: lock ? new Date(at.getTime() + lockoutMs).toISOString() : row.locked_until,
          })
          .where('id', '=', row.id)
          .execute();
        await appendAuditEvent(trx, {
          actor: `user:${row.id}`,
          action: lock ? 'account.locked' : 'login.failed',
          at,
          detail: { reason: passwordOk ? 'second_factor' : 'password' },
        });
      });
      return { ok: false, reason: lock ? 'locked' : 'invalid' };
    }
    await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('staff_users').set({ failed_logins: 0, locked_until: null }).where('id', '=', row.id).execute();
      await appendAuditEvent(trx, { actor: `user:${row.id}`, action: 'login.succeeded', at });
    });
    return {
      ok: true,
      user: { id: row.id, username: row.username, role: row.role as StaffRole, agencyId: row.agency_id, totpEnabled: secret !== undefined },
    };
  }

  /** Starts a session; the returned token goes into an HttpOnly cookie and is never stored. */
  async startSession(userId: string): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    const at = this.now();
    await this.db
      .insertInto('staff_sessions')
      .values({
        token_hash: hashToken(token),
        user_id: userId,
        created_at: at.toISOString(),
        last_seen_at: at.toISOString(),
        expires_at: new Date(at.getTime() + sessionMaxMs).toISOString(),
        revoked_at: null,
      })
      .execute();
    return token;
  }

  /** The user behind a session token, if the session is alive; each use extends its idle time. */
  async userForSession(token: string): Promise<StaffUser | undefined> {
    const at = this.now();
    const row = await this.db
      .selectFrom('staff_sessions')
      .innerJoin('staff_users', 'staff_users.id', 'staff_sessions.user_id')
      .select([
        'staff_sessions.token_hash',
        'staff_sessions.last_seen_at',
        'staff_sessions.expires_at',
        'staff_sessions.revoked_at',
        'staff_users.id',
        'staff_users.username',
        'staff_users.role',
        'staff_users.agency_id',
        'staff_users.totp_secret_enc',
        'staff_users.disabled_at',
      ])
      .where('staff_sessions.token_hash', '=', hashToken(token))
      .executeTakeFirst();
    if (!row || row.revoked_at !== null || row.disabled_at !== null) return undefined;
    const idleSince = Date.parse(row.last_seen_at);
    if (row.expires_at <= at.toISOString() || at.getTime() - idleSince > sessionIdleMs) return undefined;
    // Write the last-seen time at most once a minute: a page view is not worth a write each time.
    if (at.getTime() - idleSince > 60_000) {
      await this.db.updateTable('staff_sessions').set({ last_seen_at: at.toISOString() }).where('token_hash', '=', row.token_hash).execute();
    }
    return {
      id: row.id,
      username: row.username,
      role: row.role as StaffRole,
      agencyId: row.agency_id,
      totpEnabled: row.totp_secret_enc !== null,
    };
  }

  /** Every account that can sign in, for choosing who works on a case and naming who did what. */
  async listUsers(): Promise<StaffUser[]> {
    const rows = await this.db
      .selectFrom('staff_users')
      .select(['id', 'username', 'role', 'agency_id', 'totp_secret_enc'])
      .where('disabled_at', 'is', null)
      .orderBy('username')
      .execute();
    return rows.map((row) => ({ id: row.id, username: row.username, role: row.role as StaffRole, agencyId: row.agency_id, totpEnabled: row.totp_secret_enc !== null }));
  }

  /** Logging out ends the session on the server: the cookie is worthless afterwards. */
  async endSession(token: string): Promise<void> {
    const at = this.now();
    const row = await this.db.selectFrom('staff_sessions').select('user_id').where('token_hash', '=', hashToken(token)).executeTakeFirst();
    if (!row) return;
    await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('staff_sessions').set({ revoked_at: at.toISOString() }).where('token_hash', '=', hashToken(token)).execute();
      await appendAuditEvent(trx, { actor: `user:${row.user_id}`, action: 'logout', at });
    });
  }
}
