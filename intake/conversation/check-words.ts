import type { i18n } from 'i18next';
import { languageCodes } from '../i18n/languages.js';

/**
 * LINE has no slash commands: besides a typed "/check", the words `conversation:check.word` of every language
 * ("ตรวจเบอร์", "번호 확인", "kiểm tra số") start a check when they are the whole message. Two words each, so an
 * answer to a question ("확인" for "confirm") is never taken for one.
 */
export function checkWords(i18n: i18n): (text: string) => boolean {
  const words = new Set(
    languageCodes.map((language) => normalizedWord(i18n.getFixedT(language, 'conversation')('check.word'))),
  );
  return (text) => words.has(normalizedWord(text));
}

function normalizedWord(text: string): string {
  return text.normalize('NFC').trim().replace(/\s+/g, ' ').toLocaleLowerCase();
}
