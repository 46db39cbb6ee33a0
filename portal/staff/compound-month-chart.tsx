import type { TFunction } from 'i18next';
import type { LanguageCode } from '../../intake/i18n/languages.js';

const barWidth = 18;
const gap = 6;
const height = 120;
const labelSpace = 18;

/**
 * Confirmed reports per month as a bar chart drawn on the server (SVG, no
 * script), with the same numbers as a table beside it for a screen reader
 * and for copying. Month labels are written in the reader's language.
 */
export function CompoundMonthChart(props: {
  t: TFunction;
  language: LanguageCode;
  months: Array<{ month: string; reports: number }>;
}) {
  const { t, months } = props;
  if (months.length === 0) return <p data-message="compounds.page.noReports">{t('compounds.page.noReports')}</p>;
  const highest = Math.max(...months.map((entry) => entry.reports), 1);
  const width = months.length * (barWidth + gap) + gap;
  const monthName = (month: string) =>
    new Intl.DateTimeFormat(props.language, { year: 'numeric', month: 'short', timeZone: 'UTC' }).format(
      new Date(`${month}-01T00:00:00Z`),
    );
  const numbers = new Intl.NumberFormat(props.language);
  return (
    <>
      <svg
        role="img"
        aria-label={t('compounds.page.chartLabel')}
        viewBox={`0 0 ${width} ${height + labelSpace}`}
        width={Math.min(width * 2, 720)}
        height={(height + labelSpace) * 2}
        class="compound-chart"
        data-months={months.length}
      >
        <title>{t('compounds.page.chartLabel')}</title>
        {months.map((entry, index) => {
          const barHeight = Math.round((entry.reports / highest) * (height - 14));
          const x = gap + index * (barWidth + gap);
          return (
            <g data-month={entry.month} data-reports={entry.reports}>
              <rect x={x} y={height - barHeight} width={barWidth} height={barHeight} fill="#1f5f99">
                <title>{`${monthName(entry.month)}: ${numbers.format(entry.reports)}`}</title>
              </rect>
              {entry.reports > 0 ? (
                <text x={x + barWidth / 2} y={height - barHeight - 3} font-size="9" text-anchor="middle">
                  {numbers.format(entry.reports)}
                </text>
              ) : null}
              <text x={x + barWidth / 2} y={height + 12} font-size="7" text-anchor="middle">
                {entry.month.slice(5)}
              </text>
            </g>
          );
        })}
      </svg>
      <div class="table-wrap">
        <table data-table="months">
          <caption class="visually-hidden">{t('compounds.page.chartLabel')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('compounds.page.month')}</th>
              <th scope="col">{t('compounds.page.reports')}</th>
            </tr>
          </thead>
          <tbody>
            {months.map((entry) => (
              <tr data-month={entry.month}>
                <td>
                  <time datetime={entry.month}>{monthName(entry.month)}</time>
                </td>
                <td>{numbers.format(entry.reports)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
