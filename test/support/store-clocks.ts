import { sql, type Kysely } from 'kysely';
import { createClient } from 'redis';
import { databaseNowMs } from '../../intake/limits/postgres-rate-limit-store.js';
import type { Database } from '../../intake/store/database.js';

/**
 * The clocks the shared rate limit stores count by, read as the stores read them, so a test can place its
 * attempts in a window by the store's clock (the test's own process clock plays no part in what is counted).
 */
export type StoreClock = () => Promise<number>;

/** PostgreSQL's clock, by the same expression the store's statement reads it with. */
export function postgresClock(db: Kysely<Database>): StoreClock {
  return async () => {
    const { rows } = await sql<{ ms: string }>`select ${databaseNowMs} as ms`.execute(db);
    return Number(rows[0]!.ms);
  };
}

/** A plain Redis connection for a test (the stores' own connections are theirs). */
export async function openRedis(url: string) {
  const client = createClient({ url });
  await client.connect();
  return client;
}

export type TestRedis = Awaited<ReturnType<typeof openRedis>>;

/** Redis's clock (TIME), in whole milliseconds as the store's script works it out. */
export function redisClock(client: TestRedis): StoreClock {
  return async () => {
    const [seconds, micros] = (await client.sendCommand(['TIME'])) as [string, string];
    return Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until `clock` reads at least `atMs`: a sleep most of the way, then a few readings. */
export async function untilClockReads(clock: StoreClock, atMs: number): Promise<number> {
  for (;;) {
    const now = await clock();
    if (now >= atMs) return now;
    await sleep(Math.max(1, atMs - now - 2));
  }
}
