import { errorCodeOf } from '../intake/errors/error-code.js';
import { stackFramesOf } from '../intake/errors/stack-frames.js';

/**
 * Operational log lines. Callers pass only what is safe to keep in a log:
 * identifiers, counts, states and error codes; never a name, a contact, a
 * narrative or an indicator value.
 *
 * Each line is one record: `<ISO time> <level> <message> {json}`, the JSON
 * (when there are fields) on the same line, so a log shipper splits records
 * on newlines and parses everything after the message's first ` {` as JSON.
 */
export type LogFields = Record<string, string | number | boolean>;

export interface Logger {
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /**
   * The one way to log something that went wrong: `<operation> failed` with
   * the error's stable `code` (see intake/errors/error-code.ts), the
   * `operation`, the code of its `cause` when it has one, and its `stack` as
   * `file:line:column` frames. Never the error's message: it may quote
   * personal data or a URL holding a token.
   */
  failure(operation: string, error: unknown, fields?: LogFields): void;
}

/** Where a logger's lines go: standard output for information, standard error for the rest. */
export interface LogSink {
  out(line: string): void;
  err(line: string): void;
}

function line(level: string, message: string, fields?: Record<string, unknown>): string {
  const suffix = fields && Object.keys(fields).length > 0 ? ` ${JSON.stringify(fields)}` : '';
  // A message is a constant of the calling code; a newline in one would still split a record in two.
  return `${new Date().toISOString()} ${level} ${message.replace(/[\r\n]+/g, ' ')}${suffix}\n`;
}

/** What a failure's record holds besides the caller's fields. */
function failureFields(operation: string, error: unknown): Record<string, unknown> {
  const cause = typeof error === 'object' && error !== null ? (error as { cause?: unknown }).cause : undefined;
  const code = errorCodeOf(error);
  const causeCode = cause === undefined ? undefined : errorCodeOf(cause);
  return {
    code,
    operation,
    ...(causeCode !== undefined && causeCode !== code ? { cause: causeCode } : {}),
    stack: stackFramesOf(error),
  };
}

export function createLogger(sink: LogSink): Logger {
  return {
    info: (message, fields) => sink.out(line('info', message, fields)),
    warn: (message, fields) => sink.err(line('warn', message, fields)),
    error: (message, fields) => sink.err(line('error', message, fields)),
    // The caller's fields come first so that none of them can overwrite the code, the operation or the stack.
    failure: (operation, error, fields) =>
      sink.err(line('error', `${operation} failed`, { ...fields, ...failureFields(operation, error) })),
  };
}

export const consoleLogger: Logger = createLogger({
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
});

export const silentLogger: Logger = { info: () => {}, warn: () => {}, error: () => {}, failure: () => {} };
