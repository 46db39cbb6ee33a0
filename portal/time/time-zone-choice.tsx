import type { TFunction } from 'i18next';
import type { LanguageCode } from '../../intake/i18n/languages.js';
import { regionTimeZones } from './time-zones.js';

/** A zone's name and its offset now, in the reader's language: `Bangkok · GMT+7`. */
function zoneLabel(zone: string, language: LanguageCode): string {
  const offset = new Intl.DateTimeFormat(language === 'en' ? 'en-GB' : language, {
    timeZone: zone,
    timeZoneName: 'shortOffset',
    numberingSystem: 'latn',
  })
    .formatToParts(new Date())
    .find((part) => part.type === 'timeZoneName')?.value;
  const place = (zone.split('/').at(-1) ?? zone).replaceAll('_', ' ');
  return zone === 'UTC' || !offset ? zone : `${place} · ${offset}`;
}

/**
 * The console header's choice of time zone, a plain GET form (no script):
 * `?tz=` on the page itself, remembered for the visit like a language.
 */
export function TimeZoneChoice(props: { t: TFunction; language: LanguageCode; timeZone: string }) {
  const zones: readonly string[] = regionTimeZones.includes(props.timeZone as never)
    ? regionTimeZones
    : [props.timeZone, ...regionTimeZones];
  return (
    <form method="get" class="time-zone">
      <label for="console-time-zone">{props.t('timeZone.label')}</label>
      <select id="console-time-zone" name="tz">
        {zones.map((zone) => (
          <option value={zone} selected={zone === props.timeZone}>
            {zoneLabel(zone, props.language)}
          </option>
        ))}
      </select>
      <button type="submit">{props.t('timeZone.show')}</button>
    </form>
  );
}
