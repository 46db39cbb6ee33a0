import { colourOf } from './chart-palette.js';
import { ChartFrame } from './svg-chart-frame.js';

/** One series of a weekly chart: a name for people and a value for each week of the chart. */
export interface ChartSeries {
  key: string;
  label: string;
  values: number[];
  /** The grey "everything else" of a chart that shows only its largest series. */
  isOther?: boolean;
}

export interface WeeklyBarsProps {
  /** Prefix of the element ids (a page holds several charts). */
  id: string;
  title: string;
  description: string;
  /** Week labels, in the order of the values (oldest first). */
  weeks: string[];
  series: ChartSeries[];
  formatNumber: (value: number) => string;
  /** Right to left: the oldest week on the right, the scale on the right, as an Arabic reader reads time. */
  direction: 'ltr' | 'rtl';
}

const width = 960;
const height = 240;
const margin = { top: 12, bottom: 34, scale: 52, far: 12 };

/** The smallest 1, 2 or 5 times a power of ten at or above the value: a scale that reads in round numbers. */
export function roundedMaximum(value: number): number {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  return [1, 2, 5, 10].map((step) => step * power).find((candidate) => candidate >= value)!;
}

/**
 * Weeks as bars, each stacked from its series, drawn on the server as SVG
 * (no script): a title and description for assistive technology, a native
 * tooltip on each bar part, round numbers on the scale, and every label a
 * week or a number in the reader's language. The numbers themselves are in
 * the table beside each chart.
 */
export function WeeklyBars(props: WeeklyBarsProps) {
  const { weeks, series, direction } = props;
  const rtl = direction === 'rtl';
  const totals = weeks.map((_, week) => series.reduce((sum, entry) => sum + (entry.values[week] ?? 0), 0));
  const maximum = roundedMaximum(Math.max(0, ...totals));
  const plot = {
    left: rtl ? margin.far : margin.scale,
    right: width - (rtl ? margin.scale : margin.far),
    top: margin.top,
    bottom: height - margin.bottom,
  };
  const band = (plot.right - plot.left) / Math.max(1, weeks.length);
  const barWidth = Math.max(2, band * 0.72);
  /** The left edge of a week's bar: oldest first from the reading side. */
  const xOf = (week: number) =>
    rtl ? plot.right - (week + 1) * band + (band - barWidth) / 2 : plot.left + week * band + (band - barWidth) / 2;
  const yOf = (value: number) => plot.bottom - (value / maximum) * (plot.bottom - plot.top);
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((share) => share * maximum).filter((tick) => Number.isInteger(tick));
  // A label every few weeks when they would crowd (a year of weeks on a laptop).
  const labelEvery = Math.max(1, Math.ceil(weeks.length / 14));
  return (
    <ChartFrame
      id={props.id}
      class="chart"
      title={props.title}
      description={props.description}
      width={width}
      height={height}
    >
      {ticks.map((tick) => (
        <g class="tick">
          <line x1={plot.left} x2={plot.right} y1={yOf(tick)} y2={yOf(tick)} stroke="#d0d0d0" stroke-width="1" />
          <text
            x={rtl ? plot.right + 6 : plot.left - 6}
            y={yOf(tick) + 4}
            text-anchor={rtl ? 'start' : 'end'}
            direction="ltr"
            font-size="12"
            fill="#333"
          >
            {props.formatNumber(tick)}
          </text>
        </g>
      ))}
      {weeks.map((label, week) => {
        let base = 0;
        return (
          <g class="week" data-week={week}>
            {series.map((entry, index) => {
              const value = entry.values[week] ?? 0;
              if (value <= 0) return null;
              const y = yOf(base + value);
              const barHeight = yOf(base) - y;
              base += value;
              return (
                <rect
                  x={xOf(week)}
                  y={y}
                  width={barWidth}
                  height={barHeight}
                  fill={colourOf(index, entry.isOther)}
                  data-series={entry.key}
                  data-value={value}
                >
                  <title>{`${label} · ${entry.label}: ${props.formatNumber(value)}`}</title>
                </rect>
              );
            })}
            {week % labelEvery === 0 ? (
              <text x={xOf(week) + barWidth / 2} y={plot.bottom + 18} text-anchor="middle" font-size="12" fill="#333">
                {label}
              </text>
            ) : null}
          </g>
        );
      })}
      <line x1={plot.left} x2={plot.right} y1={plot.bottom} y2={plot.bottom} stroke="#555" stroke-width="1" />
    </ChartFrame>
  );
}
