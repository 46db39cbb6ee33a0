/**
 * The project's languages (see DESIGN.md). Order is the order a language
 * switcher shows them in; each name is written in its own script so a reader
 * recognises their language without reading English.
 */
export const languageCodes = ['en', 'ko', 'th', 'km', 'lo', 'vi', 'zh', 'ja', 'id', 'ms', 'fil', 'ar', 'my'] as const;

export type LanguageCode = (typeof languageCodes)[number];

export const fallbackLanguage: LanguageCode = 'en';

export interface LanguageInfo {
  code: LanguageCode;
  nativeName: string;
  direction: 'ltr' | 'rtl';
}

export const languages: readonly LanguageInfo[] = [
  { code: 'en', nativeName: 'English', direction: 'ltr' },
  { code: 'ko', nativeName: '한국어', direction: 'ltr' },
  { code: 'th', nativeName: 'ไทย', direction: 'ltr' },
  { code: 'km', nativeName: 'ខ្មែរ', direction: 'ltr' },
  { code: 'lo', nativeName: 'ລາວ', direction: 'ltr' },
  { code: 'vi', nativeName: 'Tiếng Việt', direction: 'ltr' },
  { code: 'zh', nativeName: '简体中文', direction: 'ltr' },
  { code: 'ja', nativeName: '日本語', direction: 'ltr' },
  { code: 'id', nativeName: 'Bahasa Indonesia', direction: 'ltr' },
  { code: 'ms', nativeName: 'Bahasa Melayu', direction: 'ltr' },
  { code: 'fil', nativeName: 'Filipino', direction: 'ltr' },
  { code: 'ar', nativeName: 'العربية', direction: 'rtl' },
  { code: 'my', nativeName: 'မြန်မာ', direction: 'ltr' },
];

export function isLanguageCode(value: string): value is LanguageCode {
  return (languageCodes as readonly string[]).includes(value);
}

/**
 * Maps a free-form language tag (Telegram's `language_code`, a LINE profile,
 * an Accept-Language entry such as `zh-Hans-CN` or `tl`) to a project language,
 * or undefined when none fits.
 */
export function matchLanguage(tag: string | undefined | null): LanguageCode | undefined {
  if (!tag) return undefined;
  const lower = tag.trim().toLowerCase().replace('_', '-');
  if (isLanguageCode(lower)) return lower;
  const primary = lower.split('-')[0] ?? '';
  if (primary === 'tl') return 'fil';
  if (primary === 'in') return 'id'; // legacy code some Android phones still send
  if (primary === 'zsm') return 'ms';
  return isLanguageCode(primary) ? primary : undefined;
}
