import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assembleIntake, type Intake } from '../../app/assemble-intake.js';
import { defaultCheckSettings } from '../../intake/check/check-service.js';
import type { CheckRequest } from '../../intake/check/check-types.js';
import { testCipher } from '../support/fixtures.js';
import { createTestDatabase, type TestDatabase } from '../support/test-databases.js';

describe('the limits of checks and disputes', () => {
  let database: TestDatabase;
  let intake: Intake;
  let at = Date.parse('2026-12-01T10:00:00Z');
  const advance = (ms: number) => {
    at += ms;
  };

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    intake = assembleIntake({
      db: database.db,
      cipher: testCipher(),
      now: () => new Date(at),
      checkSettings: { ...defaultCheckSettings, checksPer10Minutes: 3, disputesPerHour: 2 },
    });
  });
  afterAll(() => database.dispose());

  const check = (askerKey: string, channel: CheckRequest['channel'] = 'telegram') =>
    intake.checks.check({ text: '081 234 5678', channel, askerKey, countryHint: 'TH' });

  it('answers one person three checks in ten minutes, then asks them to wait, and counts only outcomes', async () => {
    intake.checkStaff.counts.take();
    for (let i = 0; i < 3; i += 1) expect((await check('user-a')).kind).toBe('checked');
    expect(await check('user-a')).toEqual({ kind: 'rate_limited', retryAfterSeconds: 600 });
    // Another person, and the same id on another channel, are not held back.
    expect((await check('user-b')).kind).toBe('checked');
    expect((await check('user-a', 'line')).kind).toBe('checked');
    advance(10 * 60_000 + 1);
    expect((await check('user-a')).kind).toBe('checked');
    // What is kept of all this: counts per channel and outcome, nothing of who asked or what.
    const counts = intake.checkStaff.counts.take();
    expect(counts).toEqual({ 'line.no_warning': 1, 'telegram.no_warning': 5, 'telegram.rate_limited': 1 });
    expect(JSON.stringify(counts)).not.toMatch(/user-|812345678/);
  });

  it('takes two disputes an hour from one person', async () => {
    const dispute = () =>
      intake.checks.dispute({
        text: '081 234 5678',
        explanation: 'My number.',
        language: 'th',
        channel: 'web',
        askerKey: 'owner',
        countryHint: 'TH',
      });
    expect((await dispute()).kind).toBe('received');
    expect((await dispute()).kind).toBe('received');
    expect(await dispute()).toEqual({ kind: 'rate_limited', retryAfterSeconds: 3600 });
    await expect(
      intake.checks.dispute({ text: '081', explanation: '  ', language: 'th', channel: 'web', askerKey: 'other' }),
    ).rejects.toThrow(expect.objectContaining({ code: 'check.invalid_dispute' }));
  });
});
