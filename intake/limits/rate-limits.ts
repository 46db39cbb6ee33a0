import type { RateLimitRule, RateLimitStore } from './rate-limit-store.js';

/**
 * What a limiter does when its store cannot be asked:
 * - `refuse` (fail closed) for limits that stop someone guessing a secret:
 *   staff sign-in, a reporter's status code, a draft's resume code;
 * - `admit` (fail open, with the failure logged) for limits that only stop
 *   volume: the report form, the web chat, the public API's writes. A person
 *   in danger must still be able to report while Redis or the limit table is down.
 */
export type WhenStoreDown = 'refuse' | 'admit';

export interface Limiter {
  /** Counts one attempt for `key`; false when the key is over its limit. */
  allow(key: string): Promise<boolean>;
}

export interface RateLimits {
  readonly store: RateLimitStore;
  /** A limit named once per purpose (`form.sends-per-browser`): the name keeps its counts apart from the others'. */
  limiter(name: string, rule: RateLimitRule, whenStoreDown: WhenStoreDown): Limiter;
  close(): Promise<void>;
}

/**
 * Limiters over one store. A key (an address, a session id) is never stored:
 * the store sees `hash(name, key)`, keyed with the deployment's data key, so a
 * dump of the counters or of Redis says nothing about who tried what. The
 * store keeps the time (see RateLimitStore): the limiters pass none.
 */
export function createRateLimits(options: {
  store: RateLimitStore;
  hash: (nameAndKey: string) => string;
  /** Told of every attempt the store could not count, with the limit's name and what was done. */
  onStoreDown: (error: unknown, context: { limit: string; decided: WhenStoreDown }) => void;
}): RateLimits {
  const { store, hash, onStoreDown } = options;
  return {
    store,
    limiter: (name, rule, whenStoreDown) => ({
      allow: async (key) => {
        // No limit (a benchmark's load from one address): nothing to count or keep.
        if (rule.limit === Number.POSITIVE_INFINITY) return true;
        try {
          return await store.take(hash(`${name}\u0000${key}`), rule);
        } catch (error) {
          onStoreDown(error, { limit: name, decided: whenStoreDown });
          return whenStoreDown === 'admit';
        }
      },
    }),
    close: () => store.close(),
  };
}
