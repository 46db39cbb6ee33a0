/**
 * The first code point of each run of ten decimal digits people in the
 * project's languages may type instead of 0–9: Arabic-Indic, Eastern
 * Arabic-Indic, Thai, Lao, Myanmar, Khmer, and full-width (CJK keyboards).
 */
const digitZeros = [0x0660, 0x06f0, 0x0e50, 0x0ed0, 0x1040, 0x17e0, 0xff10];

/**
 * A text with every decimal digit as 0–9, so "၅၀၀၀၀၀" and "٥٠٠" read as
 * numbers. Each digit is one UTF-16 unit either way, so positions in the
 * text do not move.
 */
export function toAsciiDigits(text: string): string {
  return text.replace(
    /[\u0660-\u0669\u06f0-\u06f9\u0e50-\u0e59\u0ed0-\u0ed9\u1040-\u1049\u17e0-\u17e9\uff10-\uff19]/g,
    (digit) => {
      const code = digit.charCodeAt(0);
      const zero = digitZeros.find((start) => code >= start && code <= start + 9)!;
      return String(code - zero);
    },
  );
}
