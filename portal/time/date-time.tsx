import { createContext, useContext } from 'hono/jsx';
import type { LanguageCode } from '../../intake/i18n/languages.js';
import { formatDateTime } from './format-date-time.js';

export interface Viewer {
  language: LanguageCode;
  timeZone: string;
}

/** Who reads the page, set once by the page frame, so a time deep in a page needs no props threaded to it. */
export const ViewerContext = createContext<Viewer>({ language: 'en', timeZone: 'UTC' });

/** An instant as the viewer reads it, with the exact instant kept for machines: `<time datetime="…">`. */
export function DateTime(props: { iso: string }) {
  const viewer = useContext(ViewerContext);
  return <time datetime={props.iso}>{formatDateTime(props.iso, viewer)}</time>;
}

/** The same, as text, for a time inside a translated sentence; called while the page renders. */
export function viewerDateTime(iso: string): string {
  return formatDateTime(iso, useContext(ViewerContext));
}
