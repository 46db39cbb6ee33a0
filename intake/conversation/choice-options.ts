import { languages, type LanguageCode } from '../i18n/languages.js';
import type { ChoiceOption } from './conversation-types.js';

/** The alliance's countries, where people are held or report from, then "another country". */
export const conversationCountries = [
  'KR',
  'KH',
  'MM',
  'LA',
  'TH',
  'VN',
  'PH',
  'ID',
  'MY',
  'SG',
  'BN',
  'CN',
  'JP',
  'US',
  'AE',
  'QA',
] as const;

/** LINE shows 20 graphemes of a button label. */
export const maxLabelGraphemes = 20;
const graphemes = new Intl.Segmenter();
export const graphemeCount = (text: string) => [...graphemes.segment(text)].length;

/**
 * Country names in the reader's language, from the platform's CLDR data (the same for every run). A name
 * too long for a button ("United Arab Emirates" in Vietnamese) is the locale's short name for it instead.
 */
export function countryOptions(language: LanguageCode): ChoiceOption[] {
  const names = new Intl.DisplayNames([language, 'en'], { type: 'region' });
  return [
    ...conversationCountries.map((code): ChoiceOption => {
      const name = names.of(code) ?? code;
      return graphemeCount(name) <= maxLabelGraphemes
        ? { value: code, label: name }
        : { value: code, labelKey: `options.short.country${code}` };
    }),
    { value: 'other', labelKey: 'options.otherCountry' },
  ];
}

/** Every language in its own script, the hinted one first. */
export function languageOptions(hint: LanguageCode | undefined): ChoiceOption[] {
  const ordered = hint
    ? [...languages.filter((info) => info.code === hint), ...languages.filter((info) => info.code !== hint)]
    : languages;
  return ordered.map((info) => ({ value: info.code, label: info.nativeName }));
}

export const yesNoOptions: ChoiceOption[] = [
  { value: 'yes', labelKey: 'options.yes' },
  { value: 'no', labelKey: 'options.no' },
];
