/**
 * What a username or password typed at sign-in may contain. Control
 * characters (NUL, the C0 and C1 ranges, DEL) are in no account's name or
 * password; PostgreSQL refuses a NUL outright (error 22021), so such a name
 * must never reach a query. Sign-in treats such text as a wrong name or
 * password, answering exactly as for any other.
 */
const controlCharacter = /\p{Cc}/u;

export function isSignInText(text: string): boolean {
  return !controlCharacter.test(text);
}

/** A username as accounts are stored: trimmed, lower case. */
export function normalizeUsername(username: string): string {
  return username.trim().toLowerCase();
}
