import type { FormatterModule } from 'i18next';
import { languages } from './languages.js';

/** U+2068 FIRST STRONG ISOLATE: the value takes the direction of its own first letter (none: left to right). */
export const firstStrongIsolate = '\u2068';
/** U+2066 LEFT-TO-RIGHT ISOLATE: for a command or a code written in a right-to-left sentence. */
export const leftToRightIsolate = '\u2066';
/** U+2069 POP DIRECTIONAL ISOLATE: closes either isolate. */
export const popDirectionalIsolate = '\u2069';

const rightToLeft = new Set<string>(languages.filter((info) => info.direction === 'rtl').map((info) => info.code));

export function isRightToLeft(language: string | undefined): boolean {
  return language !== undefined && rightToLeft.has(language.split('-')[0] ?? language);
}

/**
 * An inserted value kept whole inside a right-to-left sentence: without the
 * isolate, "+1-888-373-7888" shows as "1-888-373-7888+" and "RL-7K3M-9QX2"
 * can swap its parts with the Arabic around it. A value already wrapped is left as it is.
 */
export function isolate(value: string): string {
  if (value.startsWith(firstStrongIsolate) && value.endsWith(popDirectionalIsolate)) return value;
  return `${firstStrongIsolate}${value}${popDirectionalIsolate}`;
}

/**
 * i18next's formatter, called for every `{{value}}` (the instance sets
 * `alwaysFormat`): in a right-to-left language each inserted value is
 * isolated; everywhere else the value is inserted unchanged. The project's
 * texts use no named formats (`{{value, number}}`), so none is offered: a
 * text that asks for one gets the value as it is.
 */
export const bidiIsolatingFormatter: FormatterModule = {
  type: 'formatter',
  init() {},
  add() {},
  addCached() {},
  // i18next types a formatter's result as a string; a value that is not one (an object for nesting) passes through.
  format(value: string, _format?: string, language?: string): string {
    if (!isRightToLeft(language)) return value;
    if (typeof value === 'string' && value !== '') return isolate(value);
    if (typeof value === 'number' || typeof value === 'bigint') return isolate(String(value));
    return value;
  },
};
