import type { Kysely } from 'kysely';
import type { FieldCipher } from '../crypto/field-cipher.js';
import type { Database } from '../store/database.js';

/** After this many wrong sign-ins in a row a username is locked for a while. */
export const maxFailedLogins = 5;
export const lockoutMs = 15 * 60_000;
/** A name nobody has got wrong for this long is forgotten: long past any lock. */
const forgetAfterMs = 24 * 60 * 60_000;

/**
 * Counts wrong sign-ins per username, whether or not an account has that
 * name: the same rule for every name is what keeps a lock from telling an
 * attacker which names exist. Only a keyed hash of the normalized name is
 * stored, so the table is no list of who tried which name.
 */
export class SignInAttempts {
  readonly #db: Kysely<Database>;
  readonly #cipher: FieldCipher;

  constructor(dependencies: { db: Kysely<Database>; cipher: FieldCipher }) {
    this.#db = dependencies.db;
    this.#cipher = dependencies.cipher;
  }

  /** The key a name's failures are counted under. */
  keyOf(normalizedName: string): string {
    return this.#cipher.blindIndex('sign-in-name', normalizedName);
  }

  async isLocked(key: string, at: Date): Promise<boolean> {
    const row = await this.#db
      .selectFrom('sign_in_attempts')
      .select('locked_until')
      .where('name_hash', '=', key)
      .executeTakeFirst();
    return row?.locked_until !== null && row?.locked_until !== undefined && row.locked_until > at.toISOString();
  }

  /**
   * Counts one wrong sign-in (atomically, so tries sent at once each count);
   * true when it is the one that locks the name. The count starts again after a lock.
   */
  async recordFailure(db: Kysely<Database>, key: string, at: Date): Promise<boolean> {
    const now = at.toISOString();
    await db
      .deleteFrom('sign_in_attempts')
      .where('last_failed_at', '<', new Date(at.getTime() - forgetAfterMs).toISOString())
      .execute();
    const { failures } = await db
      .insertInto('sign_in_attempts')
      .values({ name_hash: key, failures: 1, locked_until: null, last_failed_at: now })
      .onConflict((conflict) =>
        conflict
          .column('name_hash')
          .doUpdateSet((eb) => ({ failures: eb('sign_in_attempts.failures', '+', 1), last_failed_at: now })),
      )
      .returning('failures')
      .executeTakeFirstOrThrow();
    if (Number(failures) < maxFailedLogins) return false;
    await db
      .updateTable('sign_in_attempts')
      .set({ failures: 0, locked_until: new Date(at.getTime() + lockoutMs).toISOString() })
      .where('name_hash', '=', key)
      .execute();
    return true;
  }

  /** A right password ends the run of wrong ones. */
  async clear(db: Kysely<Database>, key: string): Promise<void> {
    await db.deleteFrom('sign_in_attempts').where('name_hash', '=', key).execute();
  }
}
