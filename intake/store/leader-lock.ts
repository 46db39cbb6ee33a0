import pg from 'pg';

export interface LeaderLockOptions {
  /** The PostgreSQL database the instances share (its URL may set a search_path: the lock is then per schema). */
  url: string;
  /** What is led, e.g. `telegram-polling:<bot id>`: each name has its own leader. */
  name: string;
  /** How often an instance that does not lead tries again, and the leader checks its connection. */
  retryMs?: number;
  /** This instance leads now: start the work only one may do. */
  onLead: () => void;
  /** This instance no longer leads (its connection broke, or stop()): stop that work at once. */
  onLoss: () => void;
  onError?: (error: unknown) => void;
}

// Advisory locks are per database: the schema is part of the key, so deployments (and tests) in their own schemas of
// one database each elect their own leader.
const lockKey = "hashtextextended($1 || ':' || current_database() || ':' || coalesce(current_schema(), ''), 0)";

/**
 * Elects one instance among several to do what only one may (Telegram long polling: a second getUpdates is
 * refused with 409). The leader holds a session-level PostgreSQL advisory lock on a connection of its own; the
 * others try for it every `retryMs`. When the leader dies its connection closes, PostgreSQL drops the lock, and
 * another instance takes over at its next try. A leader that loses its connection stops leading at once (the
 * lock went with the connection) and tries again like the others.
 */
export class LeaderLock {
  readonly #options: LeaderLockOptions;
  readonly #retryMs: number;
  #client: pg.Client | undefined;
  #leading = false;
  #stopped = true;
  #timer: NodeJS.Timeout | undefined;
  #attempt: Promise<void> | undefined;

  constructor(options: LeaderLockOptions) {
    this.#options = options;
    this.#retryMs = options.retryMs ?? 3_000;
  }

  get leading(): boolean {
    return this.#leading;
  }

  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.#schedule(0);
  }

  #schedule(delayMs: number): void {
    clearTimeout(this.#timer);
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.#attempt = this.#tick().finally(() => {
        this.#attempt = undefined;
        this.#schedule(this.#retryMs);
      });
    }, delayMs);
  }

  async #tick(): Promise<void> {
    try {
      const client = await this.#connection();
      if (this.#leading) {
        // Still ours as long as the connection answers: a dead one took the lock with it.
        await client.query('select 1');
        return;
      }
      const result = await client.query<{ locked: boolean }>(`select pg_try_advisory_lock(${lockKey}) as locked`, [
        this.#options.name,
      ]);
      if (result.rows[0]?.locked && !this.#stopped) {
        this.#leading = true;
        this.#options.onLead();
      }
    } catch (error) {
      this.#options.onError?.(error);
      this.#lost();
    }
  }

  async #connection(): Promise<pg.Client> {
    if (this.#client) return this.#client;
    const client = new pg.Client({ connectionString: this.#options.url, keepAlive: true });
    client.on('error', (error) => {
      this.#options.onError?.(error);
      if (this.#client === client) this.#lost();
    });
    client.on('end', () => {
      if (this.#client === client) this.#lost();
    });
    this.#client = client;
    try {
      await client.connect();
    } catch (error) {
      this.#client = undefined;
      throw error;
    }
    return client;
  }

  /** The connection is gone, and the lock with it. */
  #lost(): void {
    const client = this.#client;
    this.#client = undefined;
    client?.end().catch(() => {});
    if (this.#leading) {
      this.#leading = false;
      this.#options.onLoss();
    }
  }

  /** Stops leading (and trying): the lock is released at once, for another instance to take at its next try. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#attempt;
    const client = this.#client;
    this.#client = undefined;
    if (this.#leading) {
      this.#leading = false;
      this.#options.onLoss();
    }
    if (!client) return;
    try {
      await client.query(`select pg_advisory_unlock(${lockKey})`, [this.#options.name]);
    } catch {
      // Closing the connection below releases it all the same.
    }
    await client.end().catch(() => {});
  }
}
