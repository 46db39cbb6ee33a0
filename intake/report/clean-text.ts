/**
 * Characters that must never be stored from what someone typed: NUL and the
 * other control characters (but tab and line breaks), which break exports
 * and PostgreSQL; the bidirectional embeddings, overrides and isolates
 * (U+202A–U+202E, U+2066–U+2069), with which a name can be made to display
 * as another in the console; and halves of a surrogate pair with no other
 * half, which are not text at all and break JSON readers.
 */
// Control characters are exactly what this pattern is for.
const forbidden =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const forbiddenTest = new RegExp(forbidden.source);

export function hasForbiddenCharacters(text: string): boolean {
  return forbiddenTest.test(text);
}

/**
 * What a person typed, with the characters above neutralized: a lone
 * surrogate becomes U+FFFD (the replacement character, so the place shows),
 * the others are removed. Everything else is kept exactly as typed.
 */
export function cleanTypedText(text: string): string {
  return text.replace(forbidden, (character) => (/[\ud800-\udfff]/.test(character) ? '\ufffd' : ''));
}
