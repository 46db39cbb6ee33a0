/**
 * The stable code of a failure, the same in a log line, a delivery's last
 * error and a chat message's failure reason, so an on-call engineer can
 * search for one string across all three.
 *
 * A code is built only from facts that cannot carry personal data: a code
 * the intake's own error classes declare, a platform's numeric status, a
 * database's error code, or a class name. Messages are never read: they may
 * quote what a person typed, a phone number or a URL holding a bot token.
 * Libraries are recognised by shape, not imported, so the intake stays free
 * of the bots' and drivers' packages.
 */

/** The intake's own codes: lower-case words joined by dots, e.g. `draft.conflict`. */
const intakeCode = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$/;
/** SQLite's result codes as the sqlite3 driver sets them, e.g. `SQLITE_BUSY`. */
const sqliteCode = /^SQLITE_[A-Z_]+$/;
/** PostgreSQL's five-character SQLSTATE, e.g. `23505`. */
const sqlState = /^[0-9A-Z]{5}$/;
/** Node's system and internal codes, e.g. `ECONNREFUSED`, `ERR_INVALID_URL`. */
const nodeCode = /^(E[A-Z0-9]+|ERR_[A-Z0-9_]+)$/;

/** A class name as a code segment: identifier characters only, and short. */
function segment(text: string): string {
  const cleaned = text.replace(/[^A-Za-z0-9_]/g, '').slice(0, 64);
  return cleaned === '' ? 'Error' : cleaned;
}

function property(error: object, name: string): unknown {
  return (error as Record<string, unknown>)[name];
}

/**
 * The class an error was made by; some libraries (Telegraf) leave `name` as
 * plain `Error`. A DOMException says what it is in its name (`TimeoutError`
 * from `AbortSignal.timeout`, `AbortError`).
 */
function classNameOf(error: object): string {
  const made = (error as { constructor?: { name?: unknown } }).constructor?.name;
  if (typeof made === 'string' && made !== '' && made !== 'Object' && made !== 'DOMException') return made;
  const name = property(error, 'name');
  return typeof name === 'string' && name !== '' ? name : 'non_error';
}

/** The code of a failure whose shape is known, or undefined. */
function knownCode(error: object): string | undefined {
  const code = property(error, 'code');
  const name = classNameOf(error);
  // Telegraf's TelegramError: `code` is the Bot API's numeric error_code.
  const response = property(error, 'response');
  if (name === 'TelegramError' || (typeof response === 'object' && response !== null && 'error_code' in response)) {
    const status = typeof code === 'number' ? code : (response as { error_code?: unknown } | null)?.error_code;
    if (typeof status === 'number' && Number.isInteger(status)) return `telegram.${status}`;
  }
  // @line/bot-sdk's HTTPFetchError: the Messaging API's HTTP status.
  const status = property(error, 'status');
  if (name === 'HTTPFetchError' && typeof status === 'number' && Number.isInteger(status)) return `line.${status}`;
  if (typeof code !== 'string') return undefined;
  if (sqliteCode.test(code)) return `db.${code}`;
  // pg's DatabaseError always carries a severity next to its SQLSTATE.
  if (sqlState.test(code) && typeof property(error, 'severity') === 'string') return `db.${code}`;
  if (intakeCode.test(code)) return code;
  if (nodeCode.test(code)) return `node.${code}`;
  return undefined;
}

/**
 * The stable code of anything thrown: a known code, else the code of its
 * cause (fetch's `TypeError: fetch failed` is only useful for its cause's
 * `ECONNREFUSED`), else `unexpected.<ClassName>`.
 */
export function errorCodeOf(error: unknown): string {
  if (typeof error !== 'object' || error === null) return 'unexpected.non_error';
  const known = knownCode(error);
  if (known) return known;
  const cause = property(error, 'cause');
  const causeCode = typeof cause === 'object' && cause !== null ? knownCode(cause) : undefined;
  if (causeCode) return causeCode;
  return `unexpected.${segment(error instanceof Error ? classNameOf(error) : 'non_error')}`;
}
