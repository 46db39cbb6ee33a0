import type { MiddlewareHandler } from 'hono';
import type { i18n } from 'i18next';
import type { Clock } from '../../intake/clock.js';
import { clientAddress } from '../public/client-address.js';
import { RateLimiter } from '../public/rate-limiter.js';
import { apiError } from './api-error.js';

/**
 * A limit on what one client may create through the public API without an
 * account, per hour (REPORTLINE_PUBLIC_WRITES_PER_HOUR): nobody can fill the
 * database or the disk with a script. Past it, 429 with Retry-After.
 */
export function publicWriteLimit(options: {
  perHour: number;
  trustProxy: boolean;
  i18n: i18n;
  now?: Clock;
}): MiddlewareHandler {
  const limiter = new RateLimiter({
    limit: options.perHour,
    windowMs: 60 * 60_000,
    ...(options.now ? { now: options.now } : {}),
  });
  return async (c, next) => {
    if (!limiter.allow(clientAddress(c, options.trustProxy))) {
      c.header('Retry-After', '3600');
      return apiError(c, options.i18n, 429, 'too_many_requests');
    }
    await next();
    return undefined;
  };
}
