import { describe, expect, it } from 'vitest';
import { lastWeeks, maxPeriodWeeks, periodBetween, weekStarts } from '../../intake/dashboard/dashboard-period.js';
import { maskPhone } from '../../intake/dashboard/most-reported-indicators.js';
import { seriesOf } from '../../portal/dashboard/dashboard-panels.js';

describe('the weeks of a dashboard', () => {
  it('are whole UTC weeks from Monday, the current one included', () => {
    // Tuesday 1 December 2026, late in the day: the week began on Monday 30 November.
    expect(lastWeeks(new Date('2026-12-01T23:30:00Z'), 2)).toEqual({ from: '2026-11-23', to: '2026-12-07' });
    // A Sunday belongs to the week that began six days earlier.
    expect(lastWeeks(new Date('2026-12-06T12:00:00Z'), 1)).toEqual({ from: '2026-11-30', to: '2026-12-07' });
    expect(weekStarts({ from: '2026-11-23', to: '2026-12-07' })).toEqual(['2026-11-23', '2026-11-30']);
  });

  it('widen two dates to the weeks holding them, and refuse what is not a period', () => {
    expect(periodBetween('2026-09-09', '2026-09-14')).toEqual({ from: '2026-09-07', to: '2026-09-21' });
    expect(periodBetween('2026-02-30', '2026-03-10')).toEqual({ problem: 'dashboard.period.invalidDate' });
    expect(periodBetween('9/7/2026', '2026-09-20')).toEqual({ problem: 'dashboard.period.invalidDate' });
    expect(periodBetween('2026-09-20', '2026-09-07')).toEqual({ problem: 'dashboard.period.reversed' });
    const longest = periodBetween('2025-01-06', '2027-01-03');
    expect('problem' in longest ? longest : weekStarts(longest)).toHaveLength(maxPeriodWeeks);
    expect(periodBetween('2025-01-06', '2027-01-04')).toEqual({ problem: 'dashboard.period.tooLong' });
  });
});

describe('what a dashboard shows of a value', () => {
  it("hides a phone's middle, keeping its country code and last three digits", () => {
    expect(maskPhone('+85512345678')).toBe('+855•••••678');
    expect(maskPhone('+6612345678')).toBe('+66•••••678');
    expect(maskPhone('+12345')).toBe('+•••••');
  });

  it('names the largest series of a chart and adds up the rest as one', () => {
    const weeks = ['2026-09-07', '2026-09-14'];
    const counts = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].map((key, index) => ({
      week: weeks[index % 2]!,
      key,
      count: 10 - index,
    }));
    const series = seriesOf(counts, weeks, (key) => `label ${key}`, 'other');
    expect(series.map((entry) => entry.key)).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'other']);
    // g (4, first week) and h (3, second week) are "other".
    expect(series.at(-1)).toMatchObject({ isOther: true, values: [4, 3] });
    // Seven values are all named: "other" would hold one.
    expect(seriesOf(counts.slice(0, 7), weeks, String, 'other').map((entry) => entry.key)).not.toContain('other');
  });
});
