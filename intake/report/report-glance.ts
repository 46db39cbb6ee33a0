import type { ReportContent } from './report-schema.js';
import { assessTrafficking } from './trafficking-screening.js';

/** What a hotline worker must see in a queue row before opening a case, in the order they matter. */
export const safetyFlags = ['in_danger', 'held', 'minor', 'passport_withheld', 'likely_trafficking'] as const;
export type SafetyFlag = (typeof safetyFlags)[number];

/** The money lost, as one figure: the currency most was paid in, and how many other currencies there are. */
export interface LossAtAGlance {
  amount: number;
  currency: string;
  otherCurrencies: number;
}

/** The longest first line the queue shows; the whole story is on the case page. */
export const storyLineLength = 140;

export function safetyFlagsOf(content: Pick<ReportContent, 'safety' | 'screening'>): SafetyFlag[] {
  const { safety } = content;
  const set: Record<SafetyFlag, boolean | undefined> = {
    in_danger: safety.inImmediateDanger,
    held: safety.heldAgainstWill,
    minor: safety.minorInvolved,
    passport_withheld: safety.passportWithheld,
    // The screening's rule, one strong forced-labour indicator or two medium (`trafficking-screening.ts`).
    likely_trafficking: assessTrafficking(content).likelyVictim,
  };
  return safetyFlags.filter((flag) => set[flag] === true);
}

/** Payments summed by currency; the largest sum stands for the loss (amounts in two currencies do not add up). */
export function lossOf(content: Pick<ReportContent, 'losses'>): LossAtAGlance | null {
  const sums = new Map<string, number>();
  for (const payment of content.losses.payments)
    sums.set(payment.currency, (sums.get(payment.currency) ?? 0) + payment.amount);
  const [largest] = [...sums.entries()].sort((a, b) => b[1] - a[1]);
  return largest ? { amount: largest[1], currency: largest[0], otherCurrencies: sums.size - 1 } : null;
}

/** The story's first non-empty line, cut at a word near `storyLineLength` characters (with an ellipsis when cut). */
export function storyLineOf(content: Pick<ReportContent, 'incident'>): string | null {
  const line = (content.incident.narrative ?? '')
    .split(/\r?\n/)
    .map((part) => part.trim())
    .find((part) => part.length > 0);
  if (!line) return null;
  const characters = [...line];
  if (characters.length <= storyLineLength) return line;
  const cut = characters.slice(0, storyLineLength).join('');
  const space = cut.lastIndexOf(' ');
  return `${space > storyLineLength / 2 ? cut.slice(0, space) : cut}…`;
}
