import type { TFunction } from 'i18next';
import type { CheckAnswerOutput } from './check-types.js';

/**
 * The answer to /check as one chat message: each thing checked by its kind and last characters with its verdict,
 * then the advice, then (for a warning) where the owner of a number can say it is wrong. Never how many reports.
 */
export function checkAnswerText(output: CheckAnswerOutput, t: TFunction): string {
  const verdicts = output.items.map((item) =>
    t(item.verdict === 'warning' ? 'check.warning' : 'check.noWarning', {
      // The kinds' names are the report form's (`portal:form.kind.*`), so both say "Crypto wallet" alike.
      what: t(`portal:form.kind.${item.kind}`),
      tail: item.tail,
    }),
  );
  const advice = output.adviceKeys.map((key) => `• ${t(key)}`);
  const dispute = output.disputeUrl ? [t('check.disputeLink', { url: output.disputeUrl })] : [];
  return [...verdicts, '', ...advice, ...(dispute.length > 0 ? ['', ...dispute] : []), '', t('check.again')].join('\n');
}
