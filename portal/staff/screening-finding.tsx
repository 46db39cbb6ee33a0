import type { TFunction } from 'i18next';
import { indicatorsAnsweredElsewhere, traffickingFindingOf } from '../../intake/report/trafficking-screening.js';
import type { ReportContent } from '../../intake/report/report-schema.js';

/**
 * The trafficking screening on a case, for hotline staff and for agencies
 * alike: the "likely trafficking victim" mark with the indicators that
 * matched (and which came from the safety answers), the rule, and the
 * non-punishment note with its sources. Nothing when the screening was never
 * offered and no indicator is known.
 */
export function ScreeningFinding(props: { t: TFunction; report: Pick<ReportContent, 'safety' | 'screening'> }) {
  const { t, report } = props;
  const finding = traffickingFindingOf(report);
  if (!finding) return null;
  const fromSafety = new Set(indicatorsAnsweredElsewhere(report));
  return (
    <section
      class="panel screening"
      id="screening"
      aria-labelledby="screening-title"
      data-likely={finding.likelyVictim ? '1' : '0'}
      data-indicators={finding.indicators.join(' ')}
    >
      <h2 id="screening-title">{t('screening.title')}</h2>
      {finding.likelyVictim ? (
        <p>
          <span class="flag flag-danger" data-flag="likely_trafficking">
            {t('flag.likely_trafficking')}
          </span>
        </p>
      ) : (
        <p class="hint" data-message="screening.notLikely">
          {t('screening.notLikely')}
        </p>
      )}
      {finding.indicators.length > 0 ? (
        <>
          <p>{t('screening.matched')}</p>
          <ul>
            {finding.indicators.map((indicator) => (
              <li data-indicator={indicator}>
                {t(`screening.indicator.${indicator}`)}
                {fromSafety.has(indicator) ? <span class="hint"> {t('screening.fromSafety')}</span> : null}
              </li>
            ))}
          </ul>
        </>
      ) : (
        <p class="hint" data-message={finding.skipped ? 'screening.skipped' : 'screening.none'}>
          {t(finding.skipped ? 'screening.skipped' : 'screening.none')}
        </p>
      )}
      {finding.likelyVictim ? (
        <div class="non-punishment" role="note">
          <p data-message="screening.nonPunishment">
            <strong>{t('screening.nonPunishment')}</strong>
          </p>
          {finding.forcedToScam ? (
            <p data-message="screening.nonPunishmentForced">{t('screening.nonPunishmentForced')}</p>
          ) : null}
          <p class="hint">{t('screening.basis')}</p>
        </div>
      ) : null}
      <p class="hint" data-message="screening.rule">
        {t('screening.rule')}
      </p>
    </section>
  );
}
