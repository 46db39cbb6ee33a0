import type { Context, MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { isHttpsRequest } from '../http/https-request.js';
import { isTimeZone } from './time-zones.js';

declare module 'hono' {
  interface ContextVariableMap {
    timeZone: string;
  }
}

const timeZoneCookie = 'rl_tz';

/**
 * The time zone a viewer reads times in, chosen like a language: `?tz=Area/City`
 * now, else the one chosen earlier in this visit (a session cookie, gone when
 * the browser closes), else the deployment's (REPORTLINE_TIME_ZONE). Only a
 * name the runtime knows is taken.
 */
export function detectTimeZone(deploymentZone: string): MiddlewareHandler {
  return async (c, next) => {
    const linked = c.req.query('tz');
    const remembered = getCookie(c, timeZoneCookie);
    if (isTimeZone(linked)) {
      setCookie(c, timeZoneCookie, linked, { httpOnly: true, sameSite: 'Lax', path: '/', secure: isHttpsRequest(c) });
      c.set('timeZone', linked);
    } else c.set('timeZone', isTimeZone(remembered) ? remembered : deploymentZone);
    await next();
  };
}

/** The viewer's time zone (UTC where no detection ran). */
export function viewerTimeZone(c: Context): string {
  return c.get('timeZone') ?? 'UTC';
}
