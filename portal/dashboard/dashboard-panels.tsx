import type { TFunction } from 'i18next';
import type { DashboardFigures } from '../../intake/dashboard/dashboard-read-model.js';
import { indicatorGroups, type IndicatorGroup } from '../../intake/dashboard/most-reported-indicators.js';
import type { WeeklyCount } from '../../intake/dashboard/weekly-report-counts.js';
import { languages, type LanguageCode } from '../../intake/i18n/languages.js';
import { formatDateTime } from '../time/format-date-time.js';
import { colourOf } from './chart-palette.js';
import { dashboardFormat, type DashboardFormat } from './dashboard-format.js';
import { RankedBars } from './svg-ranked-bars.js';
import { WeeklyBars, type ChartSeries } from './svg-weekly-bars.js';

/** A weekly chart shows its largest series by name and the rest as one grey "other". */
const namedSeries = 6;

export interface DashboardPanelsProps {
  t: TFunction;
  language: LanguageCode;
  timeZone: string;
  figures: DashboardFigures;
  /** Where a most-reported value is searched (hotline staff); none for an agency. */
  searchHref?: (kind: string, value: string) => string;
  /** A compound's page for this viewer (the hotline's register or the agency's compounds). */
  compoundHref: (compoundId: string) => string;
}

/** Each value of a dimension as a series over the period's weeks, the largest first, the smallest few as "other". */
export function seriesOf(
  counts: WeeklyCount[],
  weeks: string[],
  label: (key: string | null) => string,
  otherLabel: string,
): ChartSeries[] {
  const place = new Map(weeks.map((week, index) => [week, index]));
  const byKey = new Map<string, { key: string | null; values: number[]; total: number }>();
  for (const count of counts) {
    const index = place.get(count.week);
    if (index === undefined) continue;
    const id = count.key ?? '';
    const entry = byKey.get(id) ?? { key: count.key, values: weeks.map(() => 0), total: 0 };
    entry.values[index] = (entry.values[index] ?? 0) + count.count;
    entry.total += count.count;
    byKey.set(id, entry);
  }
  const sorted = [...byKey.values()].sort((a, b) => b.total - a.total || (a.key ?? '~').localeCompare(b.key ?? '~'));
  const shown = sorted.length > namedSeries + 1 ? sorted.slice(0, namedSeries) : sorted;
  const rest = sorted.slice(shown.length);
  const series: ChartSeries[] = shown.map((entry) => ({
    key: entry.key ?? 'unknown',
    label: label(entry.key),
    values: entry.values,
  }));
  if (rest.length > 0)
    series.push({
      key: 'other',
      label: otherLabel,
      isOther: true,
      values: weeks.map((_, index) => rest.reduce((sum, entry) => sum + (entry.values[index] ?? 0), 0)),
    });
  return series;
}

function Legend(props: { series: ChartSeries[] }) {
  return (
    <ul class="chart-legend">
      {props.series.map((entry, index) => (
        <li>
          <svg class="swatch" viewBox="0 0 12 12" aria-hidden="true">
            <rect width="12" height="12" fill={colourOf(index, entry.isOther)} />
          </svg>
          <bdi>{entry.label}</bdi>
        </li>
      ))}
    </ul>
  );
}

/** The numbers of a weekly chart as a table: a row per week, a column per series, and the week's total. */
function WeeklyTable(props: {
  t: TFunction;
  caption: string;
  weeks: string[];
  weekLabels: string[];
  series: ChartSeries[];
  format: DashboardFormat;
  id: string;
}) {
  const { t, format } = props;
  return (
    <details class="chart-numbers">
      <summary>{t('dashboard.numbersAsTable')}</summary>
      <div class="table-wrap">
        <table data-table={props.id}>
          <caption>{props.caption}</caption>
          <thead>
            <tr>
              <th scope="col">{t('dashboard.weekOf')}</th>
              {props.series.map((entry) => (
                <th scope="col">
                  <bdi>{entry.label}</bdi>
                </th>
              ))}
              <th scope="col">{t('dashboard.total')}</th>
            </tr>
          </thead>
          <tbody>
            {props.weeks.map((week, index) => (
              <tr data-week={week}>
                <th scope="row">{props.weekLabels[index]}</th>
                {props.series.map((entry) => (
                  <td data-series={entry.key}>{format.number(entry.values[index] ?? 0)}</td>
                ))}
                <td data-series="total">
                  {format.number(props.series.reduce((sum, entry) => sum + (entry.values[index] ?? 0), 0))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}

/**
 * What a dashboard shows, for hotline staff and agencies alike (the read
 * model has already cut the figures to the viewer's scope): reports per week
 * three ways, urgent cases and how fast they were taken, compounds with
 * people held now, the most-reported values and the share of linked reports.
 * Every chart has its numbers in a table and in the page's CSV.
 */
export function DashboardPanels(props: DashboardPanelsProps) {
  const { t, language, figures } = props;
  const format = dashboardFormat(language);
  const direction = languages.find((entry) => entry.code === language)?.direction ?? 'ltr';
  const { weeks } = figures;
  const weekLabels = weeks.map((week, index) => format.week(week, index === 0 || week.slice(5) <= '01-07'));
  const first = weekLabels[0] ?? '';
  const last = weeks.length ? format.week(weeks[weeks.length - 1]!, true) : '';

  const weeklyChart = (id: string, heading: string, series: ChartSeries[]) => {
    const total = series.reduce((sum, entry) => sum + entry.values.reduce((a, b) => a + b, 0), 0);
    const description = t('dashboard.chartDescription', {
      total: format.number(total),
      weeks: format.number(weeks.length),
      from: first,
      to: last,
    });
    return (
      <figure class="chart-figure" id={id}>
        <figcaption>
          <h3>{heading}</h3>
        </figcaption>
        <WeeklyBars
          id={`${id}-chart`}
          title={heading}
          description={description}
          weeks={weekLabels}
          series={series}
          formatNumber={format.number}
          direction={direction}
        />
        <Legend series={series} />
        <WeeklyTable
          t={t}
          id={id}
          caption={heading}
          weeks={weeks}
          weekLabels={weekLabels}
          series={series}
          format={format}
        />
      </figure>
    );
  };

  const other = t('dashboard.other');
  const byCategory = seriesOf(
    figures.reportsByCategory,
    weeks,
    (key) => t(`delivery:categories.${key ?? 'unknown'}`),
    other,
  );
  const byCountry = seriesOf(
    figures.reportsByCountry,
    weeks,
    (key) => (key ? format.country(key) : t('dashboard.reports.countryUnknown')),
    other,
  );
  const byChannel = seriesOf(figures.reportsByChannel, weeks, (key) => t(`channel.${key}`), other);
  const urgentSeries = seriesOf(
    figures.urgentReports.map((entry) => ({ ...entry, key: 'urgent' })),
    weeks,
    () => t('dashboard.urgent.reports'),
    other,
  );
  const linkedSeries: ChartSeries[] = [
    { key: 'linked', label: t('dashboard.linked.linked'), values: weeks.map(() => 0) },
    { key: 'not_linked', label: t('dashboard.linked.notLinked'), values: weeks.map(() => 0) },
  ];
  for (const share of figures.linked) {
    const index = weeks.indexOf(share.week);
    if (index < 0) continue;
    linkedSeries[0]!.values[index] = share.linked;
    linkedSeries[1]!.values[index] = share.reports - share.linked;
  }
  const linkedTotal = figures.linked.reduce((sum, share) => sum + share.linked, 0);
  const reportTotal = figures.linked.reduce((sum, share) => sum + share.reports, 0);
  const { period: times } = figures.acknowledgement;

  return (
    <div class="dashboard" data-scope={figures.scope.kind}>
      <p class="read-at">
        {t('dashboard.readAt', { time: formatDateTime(figures.readAt, { language, timeZone: props.timeZone }) })}
      </p>

      <section aria-labelledby="dashboard-reports">
        <h2 id="dashboard-reports">{t('dashboard.reports.title')}</h2>
        {weeklyChart('reports-by-category', t('dashboard.reports.byCategory'), byCategory)}
        {weeklyChart('reports-by-country', t('dashboard.reports.byCountry'), byCountry)}
        {weeklyChart('reports-by-channel', t('dashboard.reports.byChannel'), byChannel)}
      </section>

      <section aria-labelledby="dashboard-urgent">
        <h2 id="dashboard-urgent">{t('dashboard.urgent.title')}</h2>
        <dl class="figures" data-panel="acknowledgement">
          <div>
            <dt>{t('dashboard.urgent.taken')}</dt>
            <dd data-figure="acknowledged">
              {t('dashboard.urgent.takenOf', {
                taken: format.number(times.acknowledged),
                urgent: format.number(times.urgent),
              })}
            </dd>
          </div>
          <div>
            <dt>{t('dashboard.urgent.median')}</dt>
            <dd data-figure="median" data-seconds={times.medianSeconds ?? ''}>
              {times.medianSeconds === null ? t('dashboard.urgent.noneTaken') : format.duration(times.medianSeconds)}
            </dd>
          </div>
          <div>
            <dt>{t('dashboard.urgent.p90')}</dt>
            <dd data-figure="p90" data-seconds={times.p90Seconds ?? ''}>
              {times.p90Seconds === null ? t('dashboard.urgent.noneTaken') : format.duration(times.p90Seconds)}
            </dd>
          </div>
        </dl>
        {weeklyChart('urgent-reports', t('dashboard.urgent.reports'), urgentSeries)}
        <details class="chart-numbers">
          <summary>{t('dashboard.urgent.perWeek')}</summary>
          <div class="table-wrap">
            <table data-table="acknowledgement">
              <caption>{t('dashboard.urgent.perWeek')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('dashboard.weekOf')}</th>
                  <th scope="col">{t('dashboard.urgent.clocks')}</th>
                  <th scope="col">{t('dashboard.urgent.taken')}</th>
                  <th scope="col">{t('dashboard.urgent.median')}</th>
                  <th scope="col">{t('dashboard.urgent.p90')}</th>
                </tr>
              </thead>
              <tbody>
                {figures.acknowledgement.weeks.map((week) => (
                  <tr data-week={week.week}>
                    <th scope="row">{format.week(week.week!, true)}</th>
                    <td>{format.number(week.urgent)}</td>
                    <td>{format.number(week.acknowledged)}</td>
                    <td>{week.medianSeconds === null ? '—' : format.duration(week.medianSeconds)}</td>
                    <td>{week.p90Seconds === null ? '—' : format.duration(week.p90Seconds)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </details>
      </section>

      <section aria-labelledby="dashboard-compounds">
        <h2 id="dashboard-compounds">{t('dashboard.compounds.title')}</h2>
        {figures.compounds.length === 0 ? (
          <p data-message="dashboard.compounds.none">{t('dashboard.compounds.none')}</p>
        ) : (
          <figure class="chart-figure" id="compounds-held-now">
            <RankedBars
              id="compounds-held-now-chart"
              title={t('dashboard.compounds.title')}
              description={t('dashboard.compounds.description', { compounds: format.number(figures.compounds.length) })}
              items={figures.compounds.map((compound) => ({
                label: `${compound.name} · ${format.country(compound.country)}`,
                value: compound.heldNow,
              }))}
              formatNumber={format.number}
              direction={direction}
            />
            <details class="chart-numbers">
              <summary>{t('dashboard.numbersAsTable')}</summary>
              <div class="table-wrap">
                <table data-table="compounds-held-now">
                  <caption>{t('dashboard.compounds.title')}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t('dashboard.compounds.name')}</th>
                      <th scope="col">{t('dashboard.compounds.country')}</th>
                      <th scope="col">{t('dashboard.compounds.status')}</th>
                      <th scope="col">{t('dashboard.compounds.heldNow')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {figures.compounds.map((compound) => (
                      <tr data-compound={compound.compoundId}>
                        <td>
                          <a href={props.compoundHref(compound.compoundId)}>
                            <bdi>{compound.name}</bdi>
                          </a>
                        </td>
                        <td>{format.country(compound.country)}</td>
                        <td>{t(`dashboard.compounds.statusValue.${compound.status}`)}</td>
                        <td data-value={compound.heldNow}>{format.number(compound.heldNow)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </details>
          </figure>
        )}
      </section>

      <section aria-labelledby="dashboard-most-reported">
        <h2 id="dashboard-most-reported">{t('dashboard.mostReported.title')}</h2>
        <p class="hint">{t('dashboard.mostReported.hint')}</p>
        <div class="most-reported">
          {(Object.keys(indicatorGroups) as IndicatorGroup[]).map((group) => {
            const entries = figures.mostReported.filter((entry) => entry.group === group);
            return (
              <div class="most-reported-list" data-group={group}>
                <h3>{t(`dashboard.mostReported.${group}`)}</h3>
                {entries.length === 0 ? (
                  <p>{t('dashboard.mostReported.none')}</p>
                ) : (
                  <table>
                    <caption class="visually-hidden">{t(`dashboard.mostReported.${group}`)}</caption>
                    <thead>
                      <tr>
                        <th scope="col">{t('dashboard.mostReported.value')}</th>
                        <th scope="col">{t('dashboard.mostReported.reports')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {entries.map((entry) => (
                        <tr data-kind={entry.kind}>
                          <td>
                            <span class="badge">{t(`indicatorKind.${entry.kind}`)}</span>{' '}
                            {entry.searchValue && props.searchHref ? (
                              <a href={props.searchHref(entry.kind, entry.searchValue)}>
                                <bdi>
                                  <code>{entry.shown}</code>
                                </bdi>
                              </a>
                            ) : (
                              <bdi>
                                <code>{entry.shown}</code>
                              </bdi>
                            )}
                          </td>
                          <td data-value={entry.reports}>{format.number(entry.reports)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                )}
              </div>
            );
          })}
        </div>
      </section>

      <section aria-labelledby="dashboard-linked">
        <h2 id="dashboard-linked">{t('dashboard.linked.title')}</h2>
        <p class="big-figure" data-figure="linked-share" data-linked={linkedTotal} data-reports={reportTotal}>
          {reportTotal === 0
            ? t('dashboard.linked.noReports')
            : t('dashboard.linked.share', {
                share: format.percent(linkedTotal / reportTotal),
                linked: format.number(linkedTotal),
                reports: format.number(reportTotal),
              })}
        </p>
        {weeklyChart('linked-reports', t('dashboard.linked.perWeek'), linkedSeries)}
      </section>
    </div>
  );
}
