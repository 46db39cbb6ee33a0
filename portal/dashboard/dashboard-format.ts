import type { LanguageCode } from '../../intake/i18n/languages.js';

/**
 * Numbers, weeks and durations for a dashboard reader, in their language:
 * its separators, month names and units, with Western digits and the
 * Gregorian calendar, as every date of the console is written
 * (`formatDateTime`).
 */
export interface DashboardFormat {
  number: (value: number) => string;
  percent: (share: number) => string;
  /** A week by its Monday: `7 Sep`, and the year on the first week and on a new year's first. */
  week: (monday: string, withYear?: boolean) => string;
  /** A duration such as a time to acknowledge: seconds, minutes or hours, whichever reads best. */
  duration: (seconds: number) => string;
}

const locale = (language: LanguageCode) => (language === 'en' ? 'en-GB' : language);

export function dashboardFormat(language: LanguageCode): DashboardFormat {
  const tag = locale(language);
  const numbers = new Intl.NumberFormat(tag, { numberingSystem: 'latn' });
  const percents = new Intl.NumberFormat(tag, { style: 'percent', maximumFractionDigits: 1, numberingSystem: 'latn' });
  const common = { timeZone: 'UTC', calendar: 'gregory', numberingSystem: 'latn' } as const;
  const dayMonth = new Intl.DateTimeFormat(tag, { day: 'numeric', month: 'short', ...common });
  const dayMonthYear = new Intl.DateTimeFormat(tag, { day: 'numeric', month: 'short', year: 'numeric', ...common });
  const unit = (name: 'second' | 'minute' | 'hour') =>
    new Intl.NumberFormat(tag, { style: 'unit', unit: name, unitDisplay: 'short', maximumFractionDigits: 1 });
  const [seconds, minutes, hours] = [unit('second'), unit('minute'), unit('hour')];
  return {
    number: (value) => numbers.format(value),
    percent: (share) => percents.format(share),
    week: (monday, withYear = false) => (withYear ? dayMonthYear : dayMonth).format(new Date(`${monday}T00:00:00Z`)),
    duration: (value) =>
      value < 90 ? seconds.format(value) : value < 90 * 60 ? minutes.format(value / 60) : hours.format(value / 3600),
  };
}
