import type { FieldCipher } from '../../intake/crypto/field-cipher.js';

/**
 * The anti-forgery token of a form: a keyed hash of the visitor's session id.
 * A page from another site cannot know it, so it cannot post in the visitor's
 * name; it survives a restart of the server, so no typed message is lost to one.
 */
export function formToken(cipher: FieldCipher, sessionId: string): string {
  return cipher.hashSecret('form-token', sessionId);
}

export function formTokenMatches(cipher: FieldCipher, sessionId: string, token: string | undefined): boolean {
  return token !== undefined && cipher.secretMatches('form-token', sessionId, token);
}
