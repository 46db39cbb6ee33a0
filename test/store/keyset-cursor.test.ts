import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, InvalidCursorError } from '../../intake/store/keyset-cursor.js';

const position = { tier: 1, at: '2026-12-01T12:53:07.123Z', id: '019ad9f2-6b1c-7e4a-8f00-3c2b1a0d9e8f' };

function refusal(list: string, cursor: string): unknown {
  try {
    decodeCursor(list, cursor);
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('the keyset cursor', () => {
  it('gives back the position it was made from, in the same list', () => {
    const cursor = encodeCursor('agency-cases', position);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor('agency-cases', cursor)).toEqual(position);
    expect(decodeCursor('case-queue', encodeCursor('case-queue', { ...position, tier: 0 }))).toEqual({
      ...position,
      tier: 0,
    });
  });

  it('refuses a tampered, truncated or foreign cursor with a typed error and a stable code', () => {
    const cursor = encodeCursor('agency-cases', position);
    const tampered = Buffer.from(
      Buffer.from(cursor, 'base64url').toString('utf8').replace('2026-12-01T12', '2026-12-01T99'),
    ).toString('base64url');
    const forged = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    for (const bad of [
      tampered,
      cursor.slice(0, -4),
      'bm90LWEtY3Vyc29y',
      '',
      '%%%',
      encodeCursor('case-queue', position),
      forged(['agency-cases', 1, position.at]),
      forged(['agency-cases', 1.5, position.at, position.id]),
      forged(['agency-cases', 1, 'yesterday', position.id]),
      forged(['agency-cases', 1, position.at, "x' OR 1=1 --"]),
      forged({ list: 'agency-cases', ...position }),
    ]) {
      const error = refusal('agency-cases', bad);
      expect(error, bad).toBeInstanceOf(InvalidCursorError);
      expect((error as InvalidCursorError).code).toBe('cursor.invalid');
    }
  });
});
