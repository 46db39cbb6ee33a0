import type { Child } from 'hono/jsx';

/**
 * The frame every dashboard chart is drawn in: an SVG image that scales with
 * the page, named for assistive technology by its title and description
 * (`aria-labelledby` on both, which screen readers read more reliably than
 * `<title>` alone). The chart's numbers are in a table beside it.
 */
export function ChartFrame(props: {
  id: string;
  class: string;
  title: string;
  description: string;
  width: number;
  height: number;
  children: Child;
}) {
  const titleId = `${props.id}-title`;
  const descriptionId = `${props.id}-desc`;
  return (
    <svg
      class={props.class}
      viewBox={`0 0 ${props.width} ${props.height}`}
      role="img"
      aria-labelledby={`${titleId} ${descriptionId}`}
      data-chart={props.id}
    >
      <title id={titleId}>{props.title}</title>
      <desc id={descriptionId}>{props.description}</desc>
      {props.children}
    </svg>
  );
}
