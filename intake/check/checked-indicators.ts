import { extractIndicators } from '../indicators/extract-indicators.js';
import { nonLinkingKinds, type Indicator, type IndicatorKind } from '../indicators/indicator.js';
import { normalizeIndicator } from '../indicators/normalize-indicator.js';
import { asPassesRead } from '../indicators/written-forms.js';
import { maxCheckedIndicators } from './check-types.js';

/** The longest text a check reads: a pasted message, not a document. */
export const maxCheckTextLength = 2000;

/** Kinds tried, in order, when the text is one bare value that extraction from free text does not catch. */
const bareValueKinds: IndicatorKind[] = ['crypto_address', 'iban', 'email', 'url', 'domain', 'telegram', 'crypto_tx'];

/**
 * What a check (or a dispute) is about: the indicators of the text, normalized
 * by the same extractor reports go through, so a number written locally, a
 * wallet with spaces or a defanged link is the value a report of it holds.
 * Amounts and salaries say nothing about who is behind a scam and are left
 * out. At most three, in the order written.
 */
export function checkedIndicatorsOf(text: string, countryHint: string | undefined): Indicator[] {
  const written = text.slice(0, maxCheckTextLength);
  const options = { source: 'check', ...(countryHint ? { defaultCountry: countryHint } : {}) };
  let found = extractIndicators(written, options).filter((indicator) => !nonLinkingKinds.has(indicator.kind));
  if (found.length === 0) {
    const bare = written.trim();
    for (const kind of bareValueKinds) {
      const indicator = bare.length > 0 ? normalizeIndicator(kind, bare, options) : undefined;
      if (indicator) {
        found = [indicator];
        break;
      }
    }
  }
  // The passes run kind by kind; the person reads their answer in the order they wrote.
  const read = asPassesRead(written);
  const positions = new Map(
    found.map((indicator, index) => {
      const at = read.indexOf(indicator.original);
      return [indicator, at === -1 ? read.length + index : at] as const;
    }),
  );
  return [...found]
    .sort((a, b) => positions.get(a)! - positions.get(b)! || found.indexOf(a) - found.indexOf(b))
    .slice(0, maxCheckedIndicators);
}
