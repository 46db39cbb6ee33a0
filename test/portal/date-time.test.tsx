import { describe, expect, it } from 'vitest';
import { DateTime, ViewerContext, viewerDateTime } from '../../portal/time/date-time.js';
import { formatDateTime } from '../../portal/time/format-date-time.js';
import { isTimeZone } from '../../portal/time/time-zones.js';

const instant = '2026-12-01T12:53:07.000Z';

describe('formatDateTime', () => {
  it('shows the instant in the viewer’s zone, with the zone', () => {
    expect(formatDateTime(instant, { language: 'en', timeZone: 'UTC' })).toBe('1 Dec 2026, 12:53 GMT+0');
    expect(formatDateTime(instant, { language: 'en', timeZone: 'Asia/Bangkok' })).toBe('1 Dec 2026, 19:53 GMT+7');
    expect(formatDateTime(instant, { language: 'en', timeZone: 'Asia/Seoul' })).toBe('1 Dec 2026, 21:53 GMT+9');
    // Past midnight in the viewer's zone, the day is theirs too.
    expect(formatDateTime('2026-12-01T18:30:00Z', { language: 'en', timeZone: 'Asia/Tokyo' })).toBe(
      '2 Dec 2026, 03:30 GMT+9',
    );
  });

  it('speaks the viewer’s language, in the Gregorian calendar and Western digits', () => {
    const bangkok = (language: Parameters<typeof formatDateTime>[1]['language']) =>
      formatDateTime(instant, { language, timeZone: 'Asia/Bangkok' });
    expect(bangkok('ko')).toContain('2026년 12월 1일');
    expect(bangkok('th')).toContain('2026');
    expect(bangkok('th')).not.toContain('2569');
    expect(bangkok('ar')).toContain('19:53');
    expect(bangkok('my')).toContain('19:53');
    for (const language of ['ko', 'th', 'ja', 'zh', 'vi', 'km', 'ar'] as const) {
      expect(bangkok(language), language).toContain('+7');
      expect(bangkok(language), language).not.toBe(bangkok('en'));
    }
  });

  it('leaves a value that is not a date as it is', () => {
    expect(formatDateTime('not a date', { language: 'en', timeZone: 'UTC' })).toBe('not a date');
  });
});

describe('the viewer’s time on a page', () => {
  it('is a <time> with the exact instant, formatted for the viewer the page frame names', () => {
    const html = (
      <ViewerContext.Provider value={{ language: 'en', timeZone: 'Asia/Manila' }}>
        <p>
          <DateTime iso={instant} />
        </p>
      </ViewerContext.Provider>
    ).toString();
    expect(html).toBe(`<p><time datetime="${instant}">1 Dec 2026, 20:53 GMT+8</time></p>`);
  });

  it('formats text for a translated sentence in the same way, UTC outside any frame', () => {
    function Sentence() {
      return <span>{viewerDateTime(instant)}</span>;
    }
    expect(
      (
        <ViewerContext.Provider value={{ language: 'en', timeZone: 'Asia/Jakarta' }}>
          <Sentence />
        </ViewerContext.Provider>
      ).toString(),
    ).toBe('<span>1 Dec 2026, 19:53 GMT+7</span>');
    expect((<Sentence />).toString()).toBe('<span>1 Dec 2026, 12:53 GMT+0</span>');
  });
});

describe('time zone names', () => {
  it('takes IANA names and UTC, nothing else', () => {
    for (const zone of ['UTC', 'Asia/Bangkok', 'Asia/Ho_Chi_Minh', 'Europe/London'])
      expect(isTimeZone(zone)).toBe(true);
    for (const zone of ['utc+7', '+07:00', 'asia/bangkok', 'Asia/Atlantis', '', '../etc/passwd', undefined])
      expect(isTimeZone(zone)).toBe(false);
  });
});
