import type { Context, MiddlewareHandler } from 'hono';

declare module 'hono' {
  interface ContextVariableMap {
    /** The visitor reached us over HTTPS (directly, or through a trusted proxy that says so). */
    requestIsHttps: boolean;
  }
}

/**
 * Works out once per request whether the visitor's connection is HTTPS:
 * the request URL itself, or, behind a reverse proxy that is trusted
 * (REPORTLINE_TRUST_PROXY), the last `X-Forwarded-Proto` it appended.
 */
export function detectHttps(trustProxy: boolean): MiddlewareHandler {
  return async (c, next) => {
    const forwarded = trustProxy
      ? c.req
          .header('x-forwarded-proto')
          ?.split(',')
          .map((part) => part.trim().toLowerCase())
          .at(-1)
      : undefined;
    c.set('requestIsHttps', c.req.url.startsWith('https:') || forwarded === 'https');
    await next();
  };
}

/** Whether a cookie set now should carry `Secure`. */
export function isHttpsRequest(c: Context): boolean {
  return c.get('requestIsHttps') ?? c.req.url.startsWith('https:');
}
