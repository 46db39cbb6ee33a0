import type { Context } from 'hono';
import { clientAddress } from './client-address.js';

/** Who asks a check or a dispute on the web, for the check's rate limit only (hashed there, never stored). */
export function webAskerKey(c: Context, trustProxy: boolean): string {
  return `web:${clientAddress(c, trustProxy)}`;
}
