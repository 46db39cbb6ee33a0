import { readFileSync } from 'node:fs';
import { HTTPFetchError } from '@line/bot-sdk';
import pg from 'pg';
import sqlite3 from 'sqlite3';
import { TelegramError } from 'telegraf';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../app/logger.js';
import { DraftConflictError } from '../../intake/store/report-drafts.js';
import { errorCodeOf } from '../../intake/errors/error-code.js';
import { stackFramesOf } from '../../intake/errors/stack-frames.js';

const phone = '+66 81 234 5678';
const botUrl = 'https://api.telegram.org/bot123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/sendMessage';
const narrative = 'They kept my passport at the compound in Shwe Kokko and my sister Mali is still there';

function capture() {
  const lines: string[] = [];
  const logger = createLogger({ out: (line) => lines.push(line), err: (line) => lines.push(line) });
  return { logger, lines };
}

/** The record a line holds: time, level, message and the JSON after it. */
function parse(line: string) {
  const match = /^(\S+) (\w+) (.*?)(?: (\{.*\}))?\n$/s.exec(line);
  if (!match) throw new Error(`not a log line: ${JSON.stringify(line)}`);
  return {
    time: match[1]!,
    level: match[2]!,
    message: match[3]!,
    fields: match[4] ? (JSON.parse(match[4]) as Record<string, unknown>) : {},
  };
}

function sqliteError(): Promise<Error> {
  const db = new sqlite3.Database(':memory:');
  return new Promise((resolve) =>
    db.run(`select * from "${phone}"`, (error: Error | null) => db.close(() => resolve(error!))),
  );
}

describe('logger.failure', () => {
  it('writes one line holding the code, the operation and file:line frames, and no part of the message', () => {
    const { logger, lines } = capture();
    const error = new Error(`could not reach ${botUrl} for ${phone}:\n${narrative}\n    at ${phone} (/tmp/x.js:1:2)`);
    logger.failure('telegram.update', error, { updateId: 42 });

    expect(lines).toHaveLength(1);
    const record = parse(lines[0]!);
    expect(record.level).toBe('error');
    expect(record.message).toBe('telegram.update failed');
    expect(record.fields).toMatchObject({ code: 'unexpected.Error', operation: 'telegram.update', updateId: 42 });
    const stack = record.fields.stack as string[];
    expect(stack.length).toBeGreaterThan(0);
    expect(stack[0]).toMatch(/^test\/app\/logger\.test\.ts:\d+:\d+$/);
    for (const frame of stack) expect(frame).toMatch(/^[\w@+.\-/\\:]+:\d+:\d+$/);
    for (const secret of [phone, '81 234', 'AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw', 'passport', 'Mali', '/tmp/x.js']) {
      expect(lines[0]).not.toContain(secret);
    }
  });

  it('keeps only frames even when the message was changed after the stack was taken', () => {
    const error = new Error('first');
    void error.stack;
    error.message = `${narrative}\n    at ${phone}`;
    const frames = stackFramesOf(error);
    expect(frames.length).toBeGreaterThan(0);
    expect(frames.join('\n')).not.toMatch(/passport|\+66/);
  });

  it('names the cause of a failure that has one', () => {
    const { logger, lines } = capture();
    const refused = Object.assign(new Error(`connect ECONNREFUSED for ${phone}`), { code: 'ECONNREFUSED' });
    logger.failure('delivery.dispatch', new TypeError('fetch failed', { cause: refused }));
    expect(parse(lines[0]!).fields).toMatchObject({ code: 'node.ECONNREFUSED', operation: 'delivery.dispatch' });
    expect(lines[0]).not.toContain(phone);
  });

  it('lets no field of the caller overwrite the code, the operation or the stack', () => {
    const { logger, lines } = capture();
    logger.failure('purge', new DraftConflictError(), { code: 'forged', operation: 'forged', stack: 'forged' });
    const { fields } = parse(lines[0]!);
    expect(fields.code).toBe('draft.conflict');
    expect(fields.operation).toBe('purge');
    expect(Array.isArray(fields.stack)).toBe(true);
  });

  it('logs something thrown that is not an Error', () => {
    const { logger, lines } = capture();
    logger.failure('line.events', phone);
    expect(parse(lines[0]!).fields).toEqual({ code: 'unexpected.non_error', operation: 'line.events', stack: [] });
  });

  it('keeps the other levels in the same one-line form', () => {
    const { logger, lines } = capture();
    logger.info('expired records deleted', { drafts: 2 });
    logger.warn('multi\nline');
    expect(parse(lines[0]!)).toMatchObject({ level: 'info', fields: { drafts: 2 } });
    expect(lines[1]!.split('\n')).toHaveLength(2);
  });
});

describe('errorCodeOf', () => {
  it('uses the code an intake error declares', () => {
    expect(errorCodeOf(new DraftConflictError())).toBe('draft.conflict');
  });

  it("names a Bot API refusal by Telegram's error code", () => {
    const error = new TelegramError(
      { error_code: 403, description: `Forbidden: bot was blocked by ${phone}` },
      { method: 'sendMessage', payload: { chat_id: 1, text: narrative } },
    );
    expect(errorCodeOf(error)).toBe('telegram.403');
  });

  it("names a Messaging API refusal by LINE's HTTP status", () => {
    const error = new HTTPFetchError(`${narrative}`, {
      status: 429,
      statusText: 'Too Many Requests',
      headers: new Headers(),
      body: narrative,
    });
    expect(errorCodeOf(error)).toBe('line.429');
  });

  it("names a PostgreSQL error by its SQLSTATE and a SQLite error by SQLite's code", async () => {
    const duplicate = Object.assign(new pg.DatabaseError(`Key (phone)=(${phone}) already exists`, 0, 'error'), {
      severity: 'ERROR',
      code: '23505',
    });
    expect(errorCodeOf(duplicate)).toBe('db.23505');
    expect(errorCodeOf(await sqliteError())).toBe('db.SQLITE_ERROR');
  });

  it("names Node's own errors by their code", () => {
    let caught: unknown;
    try {
      readFileSync(`/nonexistent/${phone}`);
    } catch (error) {
      caught = error;
    }
    expect(errorCodeOf(caught)).toBe('node.ENOENT');
  });

  it('derives a code from the class of anything else, never from what the error says', () => {
    expect(errorCodeOf(new TypeError(phone))).toBe('unexpected.TypeError');
    expect(errorCodeOf(Object.assign(new Error('x'), { code: phone }))).toBe('unexpected.Error');
    expect(errorCodeOf(undefined)).toBe('unexpected.non_error');
  });

  it('names a timed-out request by what its DOMException says it is', () => {
    expect(errorCodeOf(new DOMException(phone, 'TimeoutError'))).toBe('unexpected.TimeoutError');
  });
});
