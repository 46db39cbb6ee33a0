import type { FieldCipher } from '../crypto/field-cipher.js';
import { lossOf, safetyFlagsOf, storyLineOf } from '../report/report-glance.js';
import type { ReportContent } from '../report/report-schema.js';

/** The story's first line has its own context: a queue reads it without decrypting the whole report. */
export const storyLineContext = (reportId: string) => `report:${reportId}:story-line`;

/**
 * What the staff queue shows of a report without opening it (migration
 * 0017): its safety flags and loss in the clear, like its urgency and
 * category; the first line of its story encrypted, like the rest of it.
 */
export function reportGlanceColumns(cipher: FieldCipher, reportId: string, content: ReportContent) {
  const loss = lossOf(content);
  const storyLine = storyLineOf(content);
  return {
    safety_flags: safetyFlagsOf(content).join(','),
    loss_amount: loss?.amount ?? null,
    loss_currency: loss?.currency ?? null,
    loss_other_currencies: loss?.otherCurrencies ?? 0,
    story_line_enc: storyLine === null ? null : cipher.encrypt(storyLine, storyLineContext(reportId)),
  };
}
