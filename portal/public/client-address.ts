import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';

/**
 * Who a request comes from, for rate limits only: it is held in memory for
 * the length of a limit's window, never stored or logged. Behind a reverse
 * proxy (REPORTLINE_TRUST_PROXY), it is the address the proxy saw, the last
 * entry of X-Forwarded-For; otherwise the connection's own.
 */
export function clientAddress(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = c.req
      .header('x-forwarded-for')
      ?.split(',')
      .map((part) => part.trim())
      .filter(Boolean);
    const last = forwarded?.[forwarded.length - 1];
    if (last) return last;
  }
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    // Not served by node-server (app.request() in tests): one shared bucket.
    return 'unknown';
  }
}
