import type { TFunction } from 'i18next';
import type { Indicator } from '../../intake/indicators/indicator.js';
import type { ReportCarryingIndicator } from '../../intake/store/indicator-links.js';
import { DateTime } from '../time/date-time.js';

/** What a search found: for each indicator read from the query, every report that carries it. */
export function SearchPage(props: {
  t: TFunction;
  query: string;
  results: Array<{ indicator: Indicator; reports: ReportCarryingIndicator[]; links: boolean }>;
}) {
  const { t } = props;
  return (
    <>
      <h1>{t('search.title')}</h1>
      <form method="get" action="/staff/search" class="filters" role="search">
        <div>
          <label for="q">{t('queue.search')}</label>
          <input type="search" id="q" name="q" value={props.query} />
        </div>
        <button type="submit">{t('queue.searchButton')}</button>
      </form>
      {props.results.length === 0 ? (
        <p data-message="search.nothingRecognised">{t('search.nothingRecognised')}</p>
      ) : null}
      {props.results.map((result) => (
        <section class="panel">
          <h2>
            {t(`indicatorKind.${result.indicator.kind}`)}: <bdi>{result.indicator.value}</bdi>
          </h2>
          {!result.links ? <p class="hint">{t('search.ignored')}</p> : null}
          {result.reports.length > 0 ? (
            <ul>
              {result.reports.map((report) => (
                <li>
                  <a href={`/staff/cases/${report.reference}`}>
                    <bdi>{report.reference}</bdi>
                  </a>{' '}
                  (<DateTime iso={report.createdAt} />, {t(`validity.${report.validity}`)})
                </li>
              ))}
            </ul>
          ) : (
            <p data-message="search.noReports">{t('search.noReports')}</p>
          )}
        </section>
      ))}
    </>
  );
}
