/** Every zone this runtime lists (`Intl.supportedValuesOf` leaves out UTC itself, which it accepts). */
const listedZones = new Set([...Intl.supportedValuesOf('timeZone'), 'UTC']);
/** An IANA name as written in the database: `Area/City`, capitalised (not an offset such as `+07:00`). */
const ianaName = /^[A-Z][A-Za-z_-]+(\/[A-Z][A-Za-z0-9_+-]+){1,2}$/;

function runtimeAccepts(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/**
 * Whether a name is an IANA time zone (`Asia/Bangkok`, `UTC`), as `?tz=` and
 * REPORTLINE_TIME_ZONE must be: one the runtime lists, or an IANA name it
 * lists under its older alias (ICU lists `Asia/Saigon` for `Asia/Ho_Chi_Minh`).
 */
export function isTimeZone(name: string | undefined): name is string {
  if (name === undefined) return false;
  return listedZones.has(name) || (ianaName.test(name) && runtimeAccepts(name));
}

/**
 * The zones the console offers, for where staff and agencies work (UTC+4 to
 * +9, the Gulf to Japan), from west to east, and UTC to compare with the API.
 */
export const regionTimeZones = [
  'UTC',
  'Asia/Dubai',
  'Asia/Qatar',
  'Asia/Yangon',
  'Asia/Bangkok',
  'Asia/Phnom_Penh',
  'Asia/Vientiane',
  'Asia/Ho_Chi_Minh',
  'Asia/Jakarta',
  'Asia/Kuala_Lumpur',
  'Asia/Singapore',
  'Asia/Brunei',
  'Asia/Manila',
  'Asia/Shanghai',
  'Asia/Seoul',
  'Asia/Tokyo',
] as const;
