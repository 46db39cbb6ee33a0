import type { LanguageCode } from '../../intake/i18n/languages.js';

const formats = new Map<string, Intl.DateTimeFormat>();

function formatFor(language: LanguageCode, timeZone: string): Intl.DateTimeFormat {
  const key = `${language} ${timeZone}`;
  let format = formats.get(key);
  if (!format) {
    // British English for `en`: day before month and a 24-hour clock, as across the region.
    format = new Intl.DateTimeFormat(language === 'en' ? 'en-GB' : language, {
      year: 'numeric',
      month: 'short',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZone,
      // The zone is always shown: a time read without it is off by hours for someone.
      timeZoneName: 'shortOffset',
      // The Gregorian year and Western digits, as in the references, the API and what agencies write back.
      calendar: 'gregory',
      numberingSystem: 'latn',
    });
    formats.set(key, format);
  }
  return format;
}

/**
 * An instant for a person to read, in their language and time zone, the zone
 * shown: `1 Dec 2026, 19:53 GMT+7`. The time zone must be a valid IANA name
 * (checked where it is chosen).
 */
export function formatDateTime(iso: string, viewer: { language: LanguageCode; timeZone: string }): string {
  const instant = new Date(iso);
  if (Number.isNaN(instant.getTime())) return iso;
  return formatFor(viewer.language, viewer.timeZone).format(instant);
}
