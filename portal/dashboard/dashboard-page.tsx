import type { TFunction } from 'i18next';
import { defaultPeriodWeeks, periodWeekChoices } from '../../intake/dashboard/dashboard-period.js';
import type { DashboardFigures } from '../../intake/dashboard/dashboard-read-model.js';
import type { LanguageCode } from '../../intake/i18n/languages.js';
import { DashboardPanels } from './dashboard-panels.js';
import { periodQueryString, type ChosenPeriod } from './dashboard-request.js';

/**
 * A dashboard page: its heading, whose reports it counts, the period
 * selector (a plain GET form, no script), the CSV of its numbers and the
 * panels.
 */
export function DashboardPage(props: {
  t: TFunction;
  language: LanguageCode;
  timeZone: string;
  /** `/staff/dashboard` or `/agency/dashboard`: the form posts back here, the CSV is beside it. */
  path: string;
  /** Whose reports these are, in a sentence. */
  scopeLine: string;
  chosen: ChosenPeriod;
  figures: DashboardFigures;
  searchHref?: (kind: string, value: string) => string;
  compoundHref: (compoundId: string) => string;
}) {
  const { t, chosen } = props;
  return (
    <>
      <h1>{t('dashboard.title')}</h1>
      <p class="dashboard-scope" data-message="dashboard.scope">
        {props.scopeLine}
      </p>
      {/* Two forms, so a choice of weeks is never overridden by dates left in the other fields. */}
      <div class="filters dashboard-period" role="group" aria-label={t('dashboard.period.label')}>
        <form method="get" action={props.path}>
          <label for="dashboard-weeks">{t('dashboard.period.lastWeeks')}</label>
          <select id="dashboard-weeks" name="weeks">
            {periodWeekChoices.map((weeks) => (
              <option value={String(weeks)} selected={(chosen.weeks ?? defaultPeriodWeeks) === weeks}>
                {t('dashboard.period.weeks', { weeks })}
              </option>
            ))}
          </select>{' '}
          <button type="submit" class="primary">
            {t('dashboard.period.show')}
          </button>
        </form>
        <form method="get" action={props.path}>
          <fieldset>
            <legend>{t('dashboard.period.dates')}</legend>
            <label for="dashboard-from">{t('dashboard.period.from')}</label>
            <input id="dashboard-from" name="from" type="date" value={chosen.from} required />
            <label for="dashboard-to">{t('dashboard.period.to')}</label>
            <input id="dashboard-to" name="to" type="date" value={chosen.to} required />
            <button type="submit" class="primary">
              {t('dashboard.period.show')}
            </button>
          </fieldset>
        </form>
      </div>
      {chosen.problem ? (
        <p class="error" role="alert" data-message={chosen.problem}>
          {t(chosen.problem)}
        </p>
      ) : null}
      <p>
        <a href={`${props.path}.csv?${periodQueryString(chosen)}`} download="dashboard.csv">
          {t('dashboard.csv')}
        </a>
      </p>
      <DashboardPanels
        t={t}
        language={props.language}
        timeZone={props.timeZone}
        figures={props.figures}
        compoundHref={props.compoundHref}
        {...(props.searchHref ? { searchHref: props.searchHref } : {})}
      />
    </>
  );
}
