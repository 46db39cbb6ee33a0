import type { MiddlewareHandler } from 'hono';
import type { i18n } from 'i18next';
import type { ApiPrincipal, TokenRole } from '../../intake/store/api-tokens.js';
import { apiError } from './api-error.js';

export type Authenticate = (token: string) => Promise<ApiPrincipal | undefined>;

export interface PrincipalVariables {
  principal: ApiPrincipal;
}

/**
 * Requires `Authorization: Bearer <token>` of one of the given roles. A missing,
 * unknown or revoked token gets 401 and nothing that would help guess a better
 * one; a valid token of another role gets 403.
 */
export function requireToken(
  authenticate: Authenticate,
  i18n: i18n,
  roles: readonly TokenRole[],
): MiddlewareHandler<{ Variables: PrincipalVariables }> {
  return async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    const principal = match?.[1] ? await authenticate(match[1]) : undefined;
    if (!principal) {
      c.header('WWW-Authenticate', 'Bearer');
      return apiError(c, i18n, 401, 'unauthorized');
    }
    if (!roles.includes(principal.role)) return apiError(c, i18n, 403, 'forbidden');
    c.set('principal', principal);
    await next();
    return undefined;
  };
}
