/**
 * The parts of a message already claimed by one indicator, so a later pass
 * does not read them again as something else (a bank account's digits as a
 * phone number, an e-mail's host as a website).
 *
 * Kept as disjoint intervals sorted by start (claims that overlap are merged
 * into one), so both questions are a binary search: a message an attacker
 * fills with thousands of small indicators must not cost a scan of every
 * earlier claim per candidate, which made extraction quadratic.
 */
export class ClaimedSpans {
  readonly #starts: number[] = [];
  /** Non-decreasing like the starts, as the intervals do not overlap. */
  readonly #ends: number[] = [];

  /** The index of the first interval ending after `position`. */
  #firstEndingAfter(position: number): number {
    let low = 0;
    let high = this.#ends.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.#ends[middle]! > position) high = middle;
      else low = middle + 1;
    }
    return low;
  }

  overlaps(start: number, end: number): boolean {
    const index = this.#firstEndingAfter(start);
    return index < this.#starts.length && this.#starts[index]! < end;
  }

  claim(start: number, end: number): void {
    const first = this.#firstEndingAfter(start);
    let last = first;
    let from = start;
    let to = end;
    while (last < this.#starts.length && this.#starts[last]! < end) {
      from = Math.min(from, this.#starts[last]!);
      to = Math.max(to, this.#ends[last]!);
      last += 1;
    }
    if (first === this.#starts.length) {
      // The usual case: a pass claims from left to right.
      this.#starts.push(from);
      this.#ends.push(to);
      return;
    }
    this.#starts.splice(first, last - first, from);
    this.#ends.splice(first, last - first, to);
  }
}

/** Characters that end a sentence rather than a URL or handle. */
const trailingPunctuation = new Set('.,;:!?\'"”’)]}>。、，．！？」』）】');

/**
 * Trailing punctuation that ends a sentence rather than a URL or handle.
 * Read back from the end: the pattern `[…]+$` it replaces was retried from
 * every character of a long run of dots inside a link, so a link followed by
 * ten thousand dots and a letter cost some fifty million steps.
 */
export function trimTrailingPunctuation(text: string): string {
  let end = text.length;
  while (end > 0 && trailingPunctuation.has(text[end - 1]!)) end -= 1;
  return end === text.length ? text : text.slice(0, end);
}

/**
 * Every match of a global pattern in a text, leftmost first, as
 * `text.matchAll(pattern)` gives them. matchAll copies the pattern for each
 * call, and V8 compiles a pattern to machine code only once it has run a
 * while, so the copies were always interpreted: a large pattern (a hundred
 * banks' names, every currency word) ran up to four times slower. This runs
 * the pattern itself, from the start of the text, and collects the matches
 * before anything else may use it.
 */
export function matchesOf(pattern: RegExp, text: string): RegExpExecArray[] {
  const matches: RegExpExecArray[] = [];
  pattern.lastIndex = 0;
  for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
    matches.push(match);
    // A pattern that matched nothing would match nothing there again: step on.
    if (match[0] === '') pattern.lastIndex += 1;
  }
  pattern.lastIndex = 0;
  return matches;
}
