import { createHash, randomBytes } from 'node:crypto';
import { appendAuditEvent } from '../store/audit-log.js';
import { StoreBase } from '../store/store-base.js';
import { isUniqueViolation } from '../store/dialect/constraint-errors.js';
import { newTimeOrderedId } from '../store/time-ordered-id.js';
import { decoyPasswordHash, hashPassword, verifyPassword } from './password-hash.js';
import { SignInAttempts } from './sign-in-attempts.js';
import { isSignInText, normalizeUsername } from './sign-in-text.js';
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

/** An account as the console sees it, from its row (the second factor only as whether it is on). */
export function staffUserOf(row: {
  id: string;
  username: string;
  role: string;
  agency_id: string | null;
  totp_secret_enc: string | null;
}): StaffUser {
  return {
    id: row.id,
    username: row.username,
    role: row.role as StaffRole,
    agencyId: row.agency_id,
    totpEnabled: row.totp_secret_enc !== null,
  };
}

export type LoginResult =
  { ok: true; user: StaffUser } | { ok: false; reason: 'invalid' | 'locked' | 'second_factor_required' };

export class AccountError extends Error {
  constructor(
    readonly code: 'account.username_taken' | 'account.agency_required' | 'account.weak_password' | 'account.not_found',
    message: string,
  ) {
    super(message);
  }
}

export { lockoutMs, maxFailedLogins } from './sign-in-attempts.js';
/** A session ends after this long without use, and in any case after a long shift. */
export const sessionIdleMs = 2 * 60 * 60_000;
export const sessionMaxMs = 12 * 60 * 60_000;

const totpContext = (userId: string) => `staff-user:${userId}:totp`;
const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * Staff and agency accounts, their passwords (scrypt), optional second
 * factor (TOTP), lockout after repeated failures (per name, see
 * SignInAttempts), and server-side sessions.
 */
export class AccountStore extends StoreBase {
  readonly #attempts = new SignInAttempts({ db: this.db, cipher: this.cipher });

  async createUser(input: {
    username: string;
    password: string;
    role: StaffRole;
    agencyId?: string;
  }): Promise<StaffUser> {
    const username = normalizeUsername(input.username);
    if (input.role === 'agency' && !input.agencyId)
      throw new AccountError('account.agency_required', 'an agency account needs --agency ID');
    if (input.password.length < 12)
      throw new AccountError('account.weak_password', 'a password needs at least 12 characters');
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
        await appendAuditEvent(trx, {
          actor: 'cli',
          action: 'account.created',
          at,
          detail: { userId: id, role: input.role },
        });
      });
    } catch (error) {
      if (isUniqueViolation(error))
        throw new AccountError('account.username_taken', `the username ${username} is taken`);
      throw error;
    }
    return {
      id,
      username,
      role: input.role,
      agencyId: input.role === 'agency' ? (input.agencyId ?? null) : null,
      totpEnabled: false,
    };
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

  /**
   * Checks a sign-in. Every username goes the same way whether an account
   * has it or not (or has it disabled): the same queries, one scrypt (against
   * a decoy hash when there is no account), the same count of failures and
   * the same lock, so neither the answer nor its timing tells which names exist.
   */
  async login(username: string, password: string, totpCode: string | undefined): Promise<LoginResult> {
    const at = this.now();
    const name = normalizeUsername(username);
    const key = this.#attempts.keyOf(name);
    // A name with control characters is no account's and must not reach a query (PostgreSQL refuses a NUL).
    const [row, locked] = await Promise.all([
      isSignInText(name)
        ? this.db.selectFrom('staff_users').selectAll().where('username', '=', name).executeTakeFirst()
        : undefined,
      this.#attempts.isLocked(key, at),
    ]);
    const account = row && row.disabled_at === null ? row : undefined;
    const actor = account ? `user:${account.id}` : 'anonymous';
    if (locked) {
      await appendAuditEvent(this.db, { actor, action: 'login.refused_locked', at });
      return { ok: false, reason: 'locked' };
    }
    const hashMatches = await verifyPassword(password, account?.password_hash ?? decoyPasswordHash);
    const passwordOk = account !== undefined && hashMatches && isSignInText(password);
    // Decrypted only once the password is right: a wrong one costs the same with or without a second factor.
    const secret =
      passwordOk && account.totp_secret_enc
        ? this.cipher.decrypt(account.totp_secret_enc, totpContext(account.id))
        : undefined;
    if (passwordOk && secret && !totpCode) return { ok: false, reason: 'second_factor_required' };
    const secondFactorOk = !secret || (totpCode !== undefined && verifyTotp(secret, totpCode, at));
    if (!passwordOk || !secondFactorOk) {
      const lock = await this.db.transaction().execute(async (trx) => {
        const lock = await this.#attempts.recordFailure(trx, key, at);
        await appendAuditEvent(trx, {
          actor,
          action: lock && account ? 'account.locked' : 'login.failed',
          at,
          detail: {
            reason: !account ? 'unknown_user' : passwordOk ? 'second_factor' : 'password',
            ...(lock && !account ? { locked: true } : {}),
          },
        });
        return lock;
      });
      return { ok: false, reason: lock ? 'locked' : 'invalid' };
    }
    await this.db.transaction().execute(async (trx) => {
      await this.#attempts.clear(trx, key);
      await appendAuditEvent(trx, { actor, action: 'login.succeeded', at });
    });
    return {
      ok: true,
      user: {
        id: account.id,
        username: account.username,
        role: account.role as StaffRole,
        agencyId: account.agency_id,
        totpEnabled: secret !== undefined,
      },
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
      await this.db
        .updateTable('staff_sessions')
        .set({ last_seen_at: at.toISOString() })
        .where('token_hash', '=', row.token_hash)
        .execute();
    }
    return staffUserOf(row);
  }

  /** Every account that can sign in, for choosing who works on a case and naming who did what. */
  async listUsers(): Promise<StaffUser[]> {
    const rows = await this.db
      .selectFrom('staff_users')
      .select(['id', 'username', 'role', 'agency_id', 'totp_secret_enc'])
      .where('disabled_at', 'is', null)
      .orderBy('username')
      .execute();
    return rows.map(staffUserOf);
  }

  /** Logging out ends the session on the server: the cookie is worthless afterwards. */
  async endSession(token: string): Promise<void> {
    const at = this.now();
    const row = await this.db
      .selectFrom('staff_sessions')
      .select('user_id')
      .where('token_hash', '=', hashToken(token))
      .executeTakeFirst();
    if (!row) return;
    await this.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('staff_sessions')
        .set({ revoked_at: at.toISOString() })
        .where('token_hash', '=', hashToken(token))
        .execute();
      await appendAuditEvent(trx, { actor: `user:${row.user_id}`, action: 'logout', at });
    });
  }
}
