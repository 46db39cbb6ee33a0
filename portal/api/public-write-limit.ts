import type { MiddlewareHandler } from 'hono';
import type { i18n } from 'i18next';
import type { Clock } from '../../intake/clock.js';
import type { RateLimits } from '../../intake/limits/rate-limits.js';
import { clientAddress } from '../public/client-address.js';
import { RateLimiter } from '../public/rate-limiter.js';
import { apiError } from './api-error.js';

/**
 * A limit on what one client may create through the public API without an
 * account, per hour (REPORTLINE_PUBLIC_WRITES_PER_HOUR): nobody can fill the
 * database or the disk with a script. Past it, 429 with Retry-After. Counted
 * in the deployment's shared `limits` under `name` (one per kind of write),
 * so several instances give a client no more; while that store is down the
 * write is admitted and the failure logged: these writes carry reports.
 */
export function publicWriteLimit(options: {
  name: string;
  perHour: number;
  trustProxy: boolean;
  i18n: i18n;
  now?: Clock;
  limits?: RateLimits | undefined;
}): MiddlewareHandler {
  const limiter = new RateLimiter({
    limit: options.perHour,
    windowMs: 60 * 60_000,
    ...(options.now ? { now: options.now } : {}),
    name: `public-writes.${options.name}`,
    whenStoreDown: 'admit',
    limits: options.limits,
  });
  return async (c, next) => {
    if (!(await limiter.allow(clientAddress(c, options.trustProxy)))) {
      c.header('Retry-After', '3600');
      return apiError(c, options.i18n, 429, 'too_many_requests');
    }
    await next();
    return undefined;
  };
}
