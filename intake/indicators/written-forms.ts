import { toAsciiDigits } from '../i18n/ascii-digits.js';

/**
 * The characters people type for the ones the passes read, each one UTF-16
 * unit for one, so positions do not move: full-width Latin letters and
 * punctuation (CJK keyboards: "ＵＳＤＴ", "２０，０００"), the ideographic space,
 * the Arabic thousands and decimal separators ("١٥٬٠٠٠"), and the dashes a
 * Japanese keyboard types between the groups of a phone number: the
 * full-width hyphen and, only between digits, the katakana long-vowel mark
 * ("０９０ー１２３４ー５６７８"), which elsewhere is part of a word.
 */
function plainCharacter(text: string, index: number, code: number): string | undefined {
  if (code >= 0xff01 && code <= 0xff5e) return String.fromCharCode(code - 0xfee0);
  switch (code) {
    case 0x3000:
      return ' ';
    case 0x066c: // ARABIC THOUSANDS SEPARATOR
      return ',';
    case 0x066b: // ARABIC DECIMAL SEPARATOR
      return '.';
    case 0x2010: // hyphen
    case 0x2011: // non-breaking hyphen
    case 0x2012: // figure dash
    case 0x2013: // en dash
    case 0x2212: // minus sign
      return '-';
    case 0x30fc: // KATAKANA-HIRAGANA PROLONGED SOUND MARK, as a hyphen only between digits
    case 0xff70: {
      const before = text.charCodeAt(index - 1);
      const after = text.charCodeAt(index + 1);
      const isDigit = (value: number) => (value >= 0x30 && value <= 0x39) || (value >= 0xff10 && value <= 0xff19);
      return isDigit(before) && isDigit(after) ? '-' : undefined;
    }
    default:
      return undefined;
  }
}

const replaceable = /[\uff01-\uff5e\u3000\u066b\u066c\u2010-\u2013\u2212\u30fc\uff70]/;

function withPlainCharacters(text: string): string {
  if (!replaceable.test(text)) return text;
  let out = '';
  let copiedTo = 0;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code < 0x066b) continue;
    const plain = plainCharacter(text, index, code);
    if (plain === undefined) continue;
    out += text.slice(copiedTo, index) + plain;
    copiedTo = index + 1;
  }
  return out + text.slice(copiedTo);
}

/**
 * Defanged links and addresses, written so that nobody taps them (victims,
 * the police and the press all do): `hxxps://`, `[.]`, `(.)`, `{.}`,
 * `[dot]`, `(dot)`, `[at]`, `(at)`, `[@]`, `[:]`, `[/]`, each possibly with
 * spaces inside or around the brackets. Only bracketed forms are undone: a
 * bare " dot " or " at " is ordinary prose. One pass of a pattern without
 * nested repetition: linear in the length of the text.
 */
const defanged = /\bhxxp(s?)(?=\[?:)|(\s?)[[({]\s?(\.|dot|at|@)\s?[\])}](\s?)|\[(:\/\/|:|\/)\]/giu;
const mayBeDefanged = /hxxp|[[({]\s?(?:\.|dot|at|@|:|\/)/i;

export function refang(text: string): string {
  if (!mayBeDefanged.test(text)) return text;
  return text.replace(
    defanged,
    (
      whole: string,
      secure: string | undefined,
      before: string | undefined,
      mark: string | undefined,
      after: string | undefined,
      separator: string | undefined,
    ) => {
      if (secure !== undefined) return `http${secure}`;
      if (separator !== undefined) return separator;
      const symbol = /^(?:at|@)$/i.test(mark ?? '') ? '@' : '.';
      // "hades [.] cafe" is one name; in "site/[.] now" the space after is the sentence's.
      return before && after ? symbol : `${before ?? ''}${symbol}${after ?? ''}`;
    },
  );
}

/**
 * The text the passes read: digits as 0–9, full-width and look-alike
 * characters as the plain ones, and defanged links and addresses restored.
 */
export function asPassesRead(written: string): string {
  return refang(withPlainCharacters(toAsciiDigits(written)));
}
