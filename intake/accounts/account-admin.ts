import type { Kysely } from 'kysely';
import { appendAuditEvent } from '../store/audit-log.js';
import type { Database } from '../store/database.js';
import { AccountError, staffUserOf, type StaffRole } from './account-store.js';
import { isSignInText, normalizeUsername } from './sign-in-text.js';

/** An account as an administrator lists it (never its password hash or second-factor secret). */
export interface AccountSummary {
  id: string;
  username: string;
  role: StaffRole;
  agencyId: string | null;
  totpEnabled: boolean;
  createdAt: string;
  disabledAt: string | null;
}

const summaryColumns = ['id', 'username', 'role', 'agency_id', 'totp_secret_enc', 'created_at', 'disabled_at'] as const;

function toSummary(row: {
  id: string;
  username: string;
  role: string;
  agency_id: string | null;
  totp_secret_enc: string | null;
  created_at: string;
  disabled_at: string | null;
}): AccountSummary {
  return { ...staffUserOf(row), createdAt: row.created_at, disabledAt: row.disabled_at };
}

/** Every account, disabled ones too, by username. */
export async function listAccounts(db: Kysely<Database>): Promise<AccountSummary[]> {
  const rows = await db.selectFrom('staff_users').select(summaryColumns).orderBy('username').execute();
  return rows.map(toSummary);
}

export type AccountChange = { user: AccountSummary; changed: boolean; sessionsEnded: number };

async function accountNamed(db: Kysely<Database>, username: string): Promise<AccountSummary> {
  const name = normalizeUsername(username);
  const row = isSignInText(name)
    ? await db.selectFrom('staff_users').select(summaryColumns).where('username', '=', name).executeTakeFirst()
    : undefined;
  if (!row) throw new AccountError('account.not_found', 'no account has that username');
  return toSummary(row);
}

/**
 * Disables an account at once: every session it has ends now (an open
 * console page is refused at its next request), and sign-in answers as for a
 * wrong password from then on. Disabling it again changes nothing.
 */
export async function disableAccount(
  db: Kysely<Database>,
  username: string,
  options: { actor: string; now?: Date },
): Promise<AccountChange> {
  const at = options.now ?? new Date();
  return db.transaction().execute(async (trx) => {
    const user = await accountNamed(trx, username);
    const disabled = await trx
      .updateTable('staff_users')
      .set({ disabled_at: at.toISOString() })
      .where('id', '=', user.id)
      .where('disabled_at', 'is', null)
      .executeTakeFirst();
    // Sessions end even if the account was disabled already: a disabled account keeps none alive.
    const ended = await trx
      .updateTable('staff_sessions')
      .set({ revoked_at: at.toISOString() })
      .where('user_id', '=', user.id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    const changed = Number(disabled.numUpdatedRows) === 1;
    const sessionsEnded = Number(ended.numUpdatedRows);
    if (changed || sessionsEnded > 0) {
      await appendAuditEvent(trx, {
        actor: options.actor,
        action: 'account.disabled',
        at,
        detail: { userId: user.id, sessionsEnded },
      });
    }
    return { user: { ...user, disabledAt: changed ? at.toISOString() : user.disabledAt }, changed, sessionsEnded };
  });
}

/** Lets a disabled account sign in again (with its old password); its ended sessions stay ended. */
export async function enableAccount(
  db: Kysely<Database>,
  username: string,
  options: { actor: string; now?: Date },
): Promise<AccountChange> {
  const at = options.now ?? new Date();
  return db.transaction().execute(async (trx) => {
    const user = await accountNamed(trx, username);
    const enabled = await trx
      .updateTable('staff_users')
      .set({ disabled_at: null })
      .where('id', '=', user.id)
      .where('disabled_at', 'is not', null)
      .executeTakeFirst();
    const changed = Number(enabled.numUpdatedRows) === 1;
    if (changed)
      await appendAuditEvent(trx, { actor: options.actor, action: 'account.enabled', at, detail: { userId: user.id } });
    return { user: { ...user, disabledAt: null }, changed, sessionsEnded: 0 };
  });
}
