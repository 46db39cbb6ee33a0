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
  /** A country by its ISO code, in the reader's language (the code when the platform does not know it). */
  country: (code: string) => string;
}

const locale = (language: LanguageCode) => (language === 'en' ? 'en-GB' : language);

const formats = new Map<LanguageCode, DashboardFormat>();

/** The formats of a language, built once: an Intl formatter costs far more to make than to use. */
export function dashboardFormat(language: LanguageCode): DashboardFormat {
  let format = formats.get(language);
  if (!format) {
    format = buildFormat(language);
    formats.set(language, format);
  }
  return format;
}

function buildFormat(language: LanguageCode): DashboardFormat {
  const tag = locale(language);
  const regions = new Intl.DisplayNames([language, 'en'], { type: 'region' });
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
    country: (code) => {
      try {
        return regions.of(code) ?? code;
      } catch {
        // Not a region code the platform accepts (a hand-typed one): shown as it is stored.
        return code;
      }
    },
  };
}
