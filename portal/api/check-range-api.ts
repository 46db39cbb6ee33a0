import { zValidator } from '@hono/zod-validator';
import { Hono } from 'hono';
import type { i18n } from 'i18next';
import { z } from 'zod';
import { checkRangePrefixLength, type Checks } from '../../intake/check/check-types.js';
import type { RateLimits } from '../../intake/limits/rate-limits.js';
import type { TokenRole } from '../../intake/store/api-tokens.js';
import { RateLimiter } from '../public/rate-limiter.js';
import { apiError } from './api-error.js';
import { requireToken, type Authenticate, type PrincipalVariables } from './bearer-auth.js';

export interface CheckRangeApiDependencies {
  /** `intake.checks`: the range is answered from the confirmations alone. */
  checks: Pick<Checks, 'range'>;
  authenticate: Authenticate;
  i18n: i18n;
  /** Range queries one token may make in a minute (REPORTLINE_CHECK_RANGE_PER_MINUTE). */
  rangePerMinute: number;
  limits?: RateLimits | undefined;
}

/** Who may ask: a partner (a bank, a messaging app) or an agency. */
export const checkRangeRoles: readonly TokenRole[] = ['partner', 'agency'];

export const checkRangeParamsSchema = z.object({
  prefix: z
    .string()
    .regex(new RegExp(`^[0-9a-fA-F]{${checkRangePrefixLength}}$`))
    .meta({
      description: `The first ${checkRangePrefixLength} hex digits of hex(HMAC-SHA256(partnerKey, kind + ":" + normalizedValue)).`,
      examples: ['3fa0c'],
    }),
});

export const checkRangeAnswerSchema = z.object({
  prefix: z.string().meta({ description: 'The prefix asked, in lower case.' }),
  hashes: z.array(z.string().regex(/^[0-9a-f]{64}$/)).meta({
    description:
      'Every hash in the range that carries a confirmed warning (several distinct reporters and a staff confirmation, not safelisted, not withdrawn after a dispute), sorted. Nothing else: not how many reports, nor whether any exist for the others. Compare your full hash with these on your side.',
  }),
});

/**
 * `GET /api/v1/check-range/{prefix}`: the k-anonymity range query of "check
 * before you pay". A bank or messaging app hashes its customer's payee with
 * the partner key and sends only the first five hex digits; it gets back the
 * confirmed hashes of that range and compares on its side, so Reportline
 * never learns the value checked. A token past its limit gets 429.
 */
export function createCheckRangeApi(dependencies: CheckRangeApiDependencies) {
  const { checks, authenticate, i18n } = dependencies;
  const api = new Hono<{ Variables: PrincipalVariables }>();
  const perToken = new RateLimiter({
    limit: dependencies.rangePerMinute,
    windowMs: 60_000,
    name: 'check.range-per-token',
    // A volume limit on authenticated partners: a store that is down admits, the failure is logged.
    whenStoreDown: 'admit',
    limits: dependencies.limits,
  });

  api.get(
    '/check-range/:prefix',
    requireToken(authenticate, i18n, checkRangeRoles),
    zValidator('param', checkRangeParamsSchema, (result, c) =>
      result.success ? undefined : apiError(c, i18n, 400, 'invalid_check_prefix'),
    ),
    async (c) => {
      if (!(await perToken.allow(c.get('principal').tokenId))) {
        c.header('Retry-After', '60');
        return apiError(c, i18n, 429, 'check_range_rate_limited');
      }
      const prefix = c.req.valid('param').prefix.toLowerCase();
      const hashes = await checks.range(prefix);
      c.header('Cache-Control', 'no-store');
      return c.json({ prefix, hashes });
    },
  );
  return api;
}
