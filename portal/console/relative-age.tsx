import { useContext } from 'hono/jsx';
import type { LanguageCode } from '../../intake/i18n/languages.js';
import { ViewerContext } from '../time/date-time.js';

const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;
const formats = new Map<string, Intl.RelativeTimeFormat>();

/** `12 min ago`, `3 hr ago`, `4 days ago` in the reader's language: how long a case has waited, read at a glance. */
export function formatAge(iso: string, now: Date, language: LanguageCode): string {
  const waited = Math.max(0, now.getTime() - Date.parse(iso));
  let format = formats.get(language);
  if (!format) {
    format = new Intl.RelativeTimeFormat(language, { numeric: 'always', style: 'short' });
    formats.set(language, format);
  }
  if (waited < hour) return format.format(-Math.floor(waited / minute), 'minute');
  if (waited < 2 * day) return format.format(-Math.floor(waited / hour), 'hour');
  return format.format(-Math.floor(waited / day), 'day');
}

// Intl formatters are costly to build and a queue page formats a hundred times: each is built once.
const shortFormats = new Map<string, Intl.DateTimeFormat>();
const dayFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * The instant in a queue row, short and with its zone: `16:04 GMT+7` today,
 * `28 Nov, 16:04 GMT+7` before (the full form is on the case page).
 */
export function formatShortDateTime(iso: string, now: Date, viewer: { language: LanguageCode; timeZone: string }) {
  const instant = new Date(iso);
  if (Number.isNaN(instant.getTime())) return iso;
  let dayFormat = dayFormats.get(viewer.timeZone);
  if (!dayFormat) {
    dayFormat = new Intl.DateTimeFormat('en-CA', { timeZone: viewer.timeZone });
    dayFormats.set(viewer.timeZone, dayFormat);
  }
  const day = (at: Date) => dayFormat.format(at);
  const sameDay = day(instant) === day(now);
  const key = `${viewer.language} ${viewer.timeZone} ${sameDay ? 'time' : 'date'}`;
  let format = shortFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(viewer.language === 'en' ? 'en-GB' : viewer.language, {
      ...(sameDay ? {} : { month: 'short', day: 'numeric' }),
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZone: viewer.timeZone,
      timeZoneName: 'shortOffset',
      calendar: 'gregory',
      numberingSystem: 'latn',
    });
    shortFormats.set(key, format);
  }
  return format.format(instant);
}

/** The same, as `<time>`, in the viewer's zone (the page frame's viewer). */
export function ShortDateTime(props: { iso: string; now: Date }) {
  const viewer = useContext(ViewerContext);
  return <time datetime={props.iso}>{formatShortDateTime(props.iso, props.now, viewer)}</time>;
}

/** A case's age for the queue, the exact instant kept for machines in `datetime` (the page shows it too). */
export function RelativeAge(props: { iso: string; now: Date }) {
  const viewer = useContext(ViewerContext);
  return <time datetime={props.iso}>{formatAge(props.iso, props.now, viewer.language)}</time>;
}
