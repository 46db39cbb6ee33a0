import type { LanguageCode } from './languages.js';

/**
 * The project language a script is written in, where only one of them uses it: someone whose app tells no
 * language (a LINE profile without one, Telegram without `language_code`) and who writes first in Lao is
 * welcomed in Lao, with Lao first in the list, instead of English. Latin (English, Vietnamese, Indonesian,
 * Malay, Filipino) and Cyrillic say nothing. Han alone is Chinese: Japanese is written with kana beside it.
 */
const scripts: ReadonlyArray<readonly [RegExp, LanguageCode]> = [
  [/\p{Script=Lao}/gu, 'lo'],
  [/\p{Script=Khmer}/gu, 'km'],
  [/\p{Script=Myanmar}/gu, 'my'],
  [/\p{Script=Thai}/gu, 'th'],
  [/\p{Script=Arabic}/gu, 'ar'],
  [/\p{Script=Hangul}/gu, 'ko'],
  [/[\p{Script=Hiragana}\p{Script=Katakana}]/gu, 'ja'],
];
const han = /\p{Script=Han}/gu;
const letter = /\p{L}/gu;

/** The language of most of the text's letters, when their script names one; undefined otherwise. */
export function languageOfScript(text: string): LanguageCode | undefined {
  const letters = text.match(letter)?.length ?? 0;
  if (letters === 0) return undefined;
  let best: { language: LanguageCode; count: number } | undefined;
  for (const [pattern, language] of scripts) {
    const count = text.match(pattern)?.length ?? 0;
    if (count > (best?.count ?? 0)) best = { language, count };
  }
  // Kana with Han is Japanese (its kanji count for it); Han alone is Chinese.
  const hanCount = text.match(han)?.length ?? 0;
  if (best?.language === 'ja') best = { language: 'ja', count: best.count + hanCount };
  else if (hanCount > (best?.count ?? 0)) best = { language: 'zh', count: hanCount };
  // Most of the letters, not a name or a word in a Latin-script message.
  return best && best.count * 2 > letters ? best.language : undefined;
}
