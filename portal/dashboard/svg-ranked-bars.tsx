import { seriesColours } from './chart-palette.js';
import { ChartFrame } from './svg-chart-frame.js';
import { roundedMaximum } from './svg-weekly-bars.js';

export interface RankedBarsProps {
  id: string;
  title: string;
  description: string;
  /** Largest first; the names are what people wrote (any script), each isolated in its own direction. */
  items: Array<{ label: string; value: number }>;
  formatNumber: (value: number) => string;
  direction: 'ltr' | 'rtl';
}

const width = 960;
const rowHeight = 28;
const labelWidth = 300;

/**
 * A ranking as horizontal bars (the compounds with the most people held
 * now), drawn on the server: the name on the reading side, the bar growing
 * away from it, the number at its end. Mirrored for a right-to-left reader.
 */
export function RankedBars(props: RankedBarsProps) {
  const { items, direction } = props;
  const rtl = direction === 'rtl';
  const height = Math.max(1, items.length) * rowHeight + 8;
  const maximum = roundedMaximum(Math.max(0, ...items.map((item) => item.value)));
  const barSpace = width - labelWidth - 80;
  return (
    <ChartFrame
      id={props.id}
      class="chart ranked"
      title={props.title}
      description={props.description}
      width={width}
      height={height}
    >
      {items.map((item, index) => {
        const y = 4 + index * rowHeight;
        const barLength = Math.max(2, (item.value / maximum) * barSpace);
        const barStart = rtl ? width - labelWidth - 12 - barLength : labelWidth + 12;
        const labelX = rtl ? width - 4 : 4;
        const numberX = rtl ? barStart - 6 : barStart + barLength + 6;
        return (
          <g class="rank" data-value={item.value}>
            <text
              x={labelX}
              y={y + 18}
              text-anchor={rtl ? 'end' : 'start'}
              direction="ltr"
              unicode-bidi="plaintext"
              font-size="13"
              fill="#1b1b1b"
            >
              {item.label}
            </text>
            <rect x={barStart} y={y + 4} width={barLength} height={rowHeight - 10} fill={seriesColours[0]}>
              <title>{`${item.label}: ${props.formatNumber(item.value)}`}</title>
            </rect>
            <text
              x={numberX}
              y={y + 18}
              text-anchor={rtl ? 'end' : 'start'}
              direction="ltr"
              font-size="13"
              fill="#1b1b1b"
            >
              {props.formatNumber(item.value)}
            </text>
          </g>
        );
      })}
    </ChartFrame>
  );
}
