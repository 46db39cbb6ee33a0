import { sql, type Kysely } from 'kysely';
import type { Database } from '../store/database.js';
import type { SendSlots } from './shared-send-pacer.js';

/**
 * A channel's per-second allowance as `perSecond` rows of `send_pace_slots` (migration 0029, unlogged), each
 * holding when it last let a send go. A send takes a slot last used more than a window ago, in one statement
 * (`FOR UPDATE SKIP LOCKED`, so instances asking at once take different slots), on the database's clock. A
 * slot is used at most once in any window, so no window holds more than `perSecond` sends, whichever instance
 * sent them.
 */
export class PostgresSendSlots implements SendSlots {
  readonly kind = 'postgres';
  readonly #db: Kysely<Database>;
  /** Channels whose slots this process has made sure of (`channel/perSecond`). */
  readonly #ensured = new Set<string>();

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  async take(channel: string, perSecond: number, windowMs: number): Promise<number> {
    await this.#ensure(channel, perSecond);
    const taken = await sql<{ slot: number }>`
      with clock as materialized (select (extract(epoch from clock_timestamp()) * 1000)::bigint as ms),
      free as (
        select slot from send_pace_slots, clock
        where channel = ${channel} and slot < ${perSecond} and sent_at_ms < clock.ms - ${windowMs}
        order by sent_at_ms
        limit 1
        for update of send_pace_slots skip locked
      )
      update send_pace_slots set sent_at_ms = (select ms from clock)
      where channel = ${channel} and slot = (select slot from free)
      returning slot`.execute(this.#db);
    if (taken.rows.length > 0) return 0;
    // Every slot was used within the window (or is being taken right now): the oldest frees first.
    const oldest = await sql<{ wait_ms: string | null }>`
      select min(sent_at_ms) + ${windowMs} + 1 - (extract(epoch from clock_timestamp()) * 1000)::bigint as wait_ms
      from send_pace_slots where channel = ${channel} and slot < ${perSecond}`.execute(this.#db);
    const waitMs = oldest.rows[0]?.wait_ms;
    if (waitMs === null || waitMs === undefined) {
      // The slots are gone (a restored or truncated table; unlogged tables are emptied by a crash): made again.
      this.#ensured.delete(`${channel}/${perSecond}`);
      return 1;
    }
    return Math.max(1, Number(waitMs));
  }

  async #ensure(channel: string, perSecond: number): Promise<void> {
    const key = `${channel}/${perSecond}`;
    if (this.#ensured.has(key)) return;
    await sql`
      insert into send_pace_slots (channel, slot, sent_at_ms)
      select ${channel}, slot, 0 from generate_series(0, ${perSecond}::integer - 1) as slot
      on conflict do nothing`.execute(this.#db);
    this.#ensured.add(key);
  }

  /** The database is the services' own: closing it is theirs to do. */
  close(): Promise<void> {
    return Promise.resolve();
  }
}
