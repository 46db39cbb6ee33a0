import type { Kysely } from 'kysely';
import { systemClock, type Clock } from '../clock.js';
import type { FieldCipher } from '../crypto/field-cipher.js';
import type { Database } from './database.js';

export interface StoreDependencies {
  db: Kysely<Database>;
  cipher: FieldCipher;
  /** The clock, replaceable so tests can move time (lockouts, expiry, ordering). */
  now?: Clock;
}

/** What every store of personal data works with: the database, the cipher and a clock. */
export abstract class StoreBase {
  protected readonly db: Kysely<Database>;
  protected readonly cipher: FieldCipher;
  protected readonly now: Clock;

  constructor(dependencies: StoreDependencies) {
    this.db = dependencies.db;
    this.cipher = dependencies.cipher;
    this.now = dependencies.now ?? systemClock;
  }
}
