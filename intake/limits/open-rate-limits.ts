import type { Kysely } from 'kysely';
import type { Clock } from '../clock.js';
import type { FieldCipher } from '../crypto/field-cipher.js';
import type { Database } from '../store/database.js';
import { MemoryRateLimitStore } from './memory-rate-limit-store.js';
import { PostgresRateLimitStore } from './postgres-rate-limit-store.js';
import { createRateLimits, type RateLimits, type WhenStoreDown } from './rate-limits.js';

/** A store that is down is logged at most this often per limit. */
const logEveryMs = 60_000;

/** Where the limits of this deployment are counted: chosen from the configuration, never by a caller. */
export type RateLimitStoreChoice = { kind: 'memory' } | { kind: 'postgres' } | { kind: 'redis'; url: string };

/** Redis when REDIS_URL is set; else the PostgreSQL database the instances share; else memory (SQLite). */
export function chooseRateLimitStore(options: {
  redisUrl: string | undefined;
  database: 'sqlite' | 'postgres';
}): RateLimitStoreChoice {
  if (options.redisUrl) return { kind: 'redis', url: options.redisUrl };
  return options.database === 'postgres' ? { kind: 'postgres' } : { kind: 'memory' };
}

/**
 * The limits over the chosen store. Redis's client (some 600 modules) is imported only when REDIS_URL chose it:
 * every start of the server and every CLI command would load it otherwise.
 */
export async function openRateLimits(options: {
  choice: RateLimitStoreChoice;
  db: Kysely<Database>;
  cipher: FieldCipher;
  /** The memory store's clock (one process on SQLite); the shared stores count on their own. */
  now: Clock;
  /** A store that is down (each attempt it could not count, and each lost Redis connection). */
  onError: (error: unknown, context?: { limit: string; decided: WhenStoreDown }) => void;
}): Promise<RateLimits> {
  const { choice } = options;
  const store =
    choice.kind === 'redis'
      ? new (await import('./redis-rate-limit-store.js')).RedisRateLimitStore({
          url: choice.url,
          onError: (error) => options.onError(error),
        })
      : choice.kind === 'postgres'
        ? new PostgresRateLimitStore(options.db)
        : new MemoryRateLimitStore(options.now);
  // While a store is down every attempt fails alike: one line per limit a minute says so, not one per request.
  const lastLogged = new Map<string, number>();
  return createRateLimits({
    store,
    hash: (nameAndKey) => options.cipher.blindIndex('rate-limit', nameAndKey),
    onStoreDown: (error, context) => {
      const at = Date.now();
      if (at - (lastLogged.get(context.limit) ?? Number.NEGATIVE_INFINITY) < logEveryMs) return;
      lastLogged.set(context.limit, at);
      options.onError(error, context);
    },
  });
}
