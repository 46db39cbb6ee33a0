/**
 * The parts of a message already claimed by one indicator, so a later pass
 * does not read them again as something else (a bank account's digits as a
 * phone number, an e-mail's host as a website).
 */
export class ClaimedSpans {
  readonly #spans: Array<[number, number]> = [];

  overlaps(start: number, end: number): boolean {
    return this.#spans.some(([from, to]) => start < to && end > from);
  }

  claim(start: number, end: number): void {
    this.#spans.push([start, end]);
  }
}

/** Trailing punctuation that ends a sentence rather than a URL or handle. */
export function trimTrailingPunctuation(text: string): string {
  return text.replace(/[.,;:!?'"”’)\]}>。、，．！？」』）】]+$/u, '');
}
