import type { FieldCipher } from '../../intake/crypto/field-cipher.js';

/** The session cookie that keeps a checked report open on the status page for a while. */
export const statusCookie = 'rl_status';
const scope = 'status-session';

/** The cookie's value: the report, when the visit ends, and a keyed signature of both. */
export function statusCookieValue(cipher: FieldCipher, reportId: string, expiresAt: number): string {
  const visit = `${reportId}.${expiresAt}`;
  return `${visit}.${cipher.hashSecret(scope, visit)}`;
}

/**
 * The opened report a cookie names, when its signature holds and it has not
 * expired; `visit` is what the quick exit revokes (see EndedVisitStore).
 */
export function readStatusCookie(
  cipher: FieldCipher,
  value: string | undefined,
  now: Date,
): { reportId: string; visit: string; expiresAt: Date } | undefined {
  const [reportId, expires, mac] = (value ?? '').split('.');
  if (!reportId || !expires || !mac || !/^\d{1,15}$/.test(expires) || Number(expires) < now.getTime()) return undefined;
  const visit = `${reportId}.${expires}`;
  return cipher.secretMatches(scope, visit, mac)
    ? { reportId, visit, expiresAt: new Date(Number(expires)) }
    : undefined;
}
