import type { TFunction } from 'i18next';
import type { LanguageCode } from '../../intake/i18n/languages.js';
import type { LossAtAGlance, SafetyFlag } from '../../intake/report/report-glance.js';

// Intl formatters are costly to build and a queue page formats fifty amounts: each is built once.
const amountFormats = new Map<string, Intl.NumberFormat>();

/**
 * An amount in the reader's language, the currency code after it (crypto
 * assets have no symbol); `compact` (`3M`, `300만`) where a row must stay on
 * one line, exact on a case.
 */
export function formatAmount(amount: number, language: LanguageCode, compact: boolean): string {
  const key = `${language} ${compact ? 'compact' : 'exact'}`;
  let format = amountFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(language === 'en' ? 'en-GB' : language, {
      ...(compact ? { notation: 'compact' as const, maximumFractionDigits: 1 } : { maximumFractionDigits: 2 }),
      numberingSystem: 'latn',
    });
    amountFormats.set(key, format);
  }
  return format.format(amount);
}

/**
 * What makes a case dangerous, then the money lost, each a word (never a
 * colour alone) with its name in `data-flag`: the same badges in the queue,
 * on the hotline's case page and on an agency's.
 */
export function SafetyFlags(props: {
  t: TFunction;
  language: LanguageCode;
  urgent: boolean;
  /** The badge for urgency: the hotline's short word, or the agency's sentence. */
  urgentKey: string;
  flags: readonly SafetyFlag[];
  loss: LossAtAGlance | null;
  compact?: boolean;
}) {
  const { t, loss } = props;
  return (
    <>
      {props.urgent ? (
        <span class="urgent-badge" data-flag="urgent">
          {t(props.urgentKey)}
        </span>
      ) : null}
      {props.flags.map((flag) => (
        <span class={flag === 'in_danger' || flag === 'held' ? 'flag flag-danger' : 'flag'} data-flag={flag}>
          {t(`flag.${flag}`)}
        </span>
      ))}
      {loss ? (
        <span class="flag flag-money" data-flag="loss">
          <bdi>
            {formatAmount(loss.amount, props.language, props.compact === true)} {loss.currency}
          </bdi>
          {loss.otherCurrencies > 0 ? ` ${t('queue.otherCurrencies', { count: loss.otherCurrencies })}` : ''}
        </span>
      ) : null}
    </>
  );
}
