import type { TFunction } from 'i18next';
import type { LanguageCode } from '../../intake/i18n/languages.js';
import type { Indicator } from '../../intake/indicators/indicator.js';
import type { ReportCarryingIndicator } from '../../intake/store/indicator-links.js';
import { DateTime } from '../time/date-time.js';

/**
 * What a search found: for each indicator read from the query, every report that carries it. The country a
 * local number is read in is a choice of the form (all of the hotline's by default), kept in the link.
 */
export function SearchPage(props: {
  t: TFunction;
  language: LanguageCode;
  query: string;
  /** The country chosen, or '' for every one of `countries`. */
  country: string;
  countries: readonly string[];
  results: Array<{ indicator: Indicator; country?: string; reports: ReportCarryingIndicator[]; links: boolean }>;
}) {
  const { t } = props;
  const names = new Intl.DisplayNames([props.language, 'en'], { type: 'region' });
  const nameOf = (code: string) => names.of(code) ?? code;
  const collator = new Intl.Collator([props.language, 'en']);
  const countries = [...props.countries].sort((a, b) => collator.compare(nameOf(a), nameOf(b)));
  return (
    <>
      <h1>{t('search.title')}</h1>
      <form method="get" action="/staff/search" class="filters" role="search">
        <div>
          <label for="q">{t('queue.search')}</label>
          <input type="search" id="q" name="q" value={props.query} />
        </div>
        <div>
          <label for="search-country">{t('search.country')}</label>
          <select id="search-country" name="country">
            <option value="" selected={props.country === ''}>
              {t('search.everyCountry')}
            </option>
            {countries.map((code) => (
              <option value={code} selected={props.country === code}>
                {nameOf(code)}
              </option>
            ))}
          </select>
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
          {result.country ? (
            <p class="hint" data-message="search.readIn">
              {t('search.readIn', { country: nameOf(result.country) })}
            </p>
          ) : null}
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
