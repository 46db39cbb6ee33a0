import type { FieldCipher } from '../../../intake/crypto/field-cipher.js';

/** The session cookie through which a browser holds its form draft. */
export const draftCookie = 'rl_report';
const scope = 'report-draft-session';

/**
 * The cookie's value: the draft, the binding it is held through (see
 * StoredDraft.binding: the quick exit moves it on), and a keyed signature.
 */
export function draftCookieValue(cipher: FieldCipher, id: string, binding: number): string {
  const held = `${id}.${binding}`;
  return `${held}.${cipher.hashSecret(scope, held)}`;
}

/**
 * The draft and binding a cookie names, when its signature holds. A cookie
 * set before bindings existed (`id.signature`) names binding 0.
 */
export function readDraftCookie(
  cipher: FieldCipher,
  value: string | undefined,
): { id: string; binding: number } | undefined {
  const parts = (value ?? '').split('.');
  if (parts.length === 2) {
    const [id, mac] = parts as [string, string];
    return id && mac && cipher.secretMatches(scope, id, mac) ? { id, binding: 0 } : undefined;
  }
  if (parts.length !== 3) return undefined;
  const [id, binding, mac] = parts as [string, string, string];
  if (!id || !/^\d{1,9}$/.test(binding) || !mac) return undefined;
  return cipher.secretMatches(scope, `${id}.${binding}`, mac) ? { id, binding: Number(binding) } : undefined;
}
