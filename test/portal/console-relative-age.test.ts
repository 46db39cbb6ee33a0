import { describe, expect, it } from 'vitest';
import { formatAge, formatShortDateTime } from '../../portal/console/relative-age.js';

const now = new Date('2026-12-01T10:00:00Z');
const ago = (milliseconds: number) => new Date(now.getTime() - milliseconds).toISOString();
const minutes = (count: number) => count * 60_000;

describe('a queue row’s age and time, read at a glance', () => {
  it('says how long a case has waited in minutes, then hours, then days, in the viewer’s language', () => {
    expect(formatAge(ago(minutes(12)), now, 'en')).toMatch(/^12 min\.? ago$/);
    expect(formatAge(ago(minutes(3 * 60 + 5)), now, 'en')).toMatch(/^3 hr\.? ago$/);
    expect(formatAge(ago(minutes(47 * 60)), now, 'en')).toMatch(/^47 hr\.? ago$/);
    expect(formatAge(ago(minutes(4 * 24 * 60)), now, 'en')).toMatch(/^4 days ago$/);
    expect(formatAge(ago(minutes(12)), now, 'ko')).toBe('12분 전');
    // A clock a little ahead of the server's never shows a case as waiting less than nothing.
    expect(formatAge(new Date(now.getTime() + minutes(2)).toISOString(), now, 'en')).toMatch(/^0 min\.? ago$/);
  });

  it('gives the instant in the viewer’s time zone with its offset, the day only when it is not today there', () => {
    const bangkok = { language: 'en' as const, timeZone: 'Asia/Bangkok' };
    expect(formatShortDateTime('2026-12-01T09:04:00Z', now, bangkok)).toBe('16:04 GMT+7');
    expect(formatShortDateTime('2026-11-28T09:04:00Z', now, bangkok)).toBe('28 Nov, 16:04 GMT+7');
    // 18:00 UTC on 30 November is already 1 December, 01:00, in Bangkok: today there, yesterday in UTC.
    expect(formatShortDateTime('2026-11-30T18:00:00Z', now, bangkok)).toBe('01:00 GMT+7');
    expect(formatShortDateTime('2026-11-30T18:00:00Z', now, { language: 'en', timeZone: 'UTC' })).toBe(
      '30 Nov, 18:00 GMT+0',
    );
    expect(formatShortDateTime('2026-12-01T09:04:00Z', now, { language: 'ko', timeZone: 'Asia/Seoul' })).toMatch(
      /^18:04 GMT\+9$/,
    );
  });
});
