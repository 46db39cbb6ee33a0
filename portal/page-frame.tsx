import type { Child } from 'hono/jsx';
import { languages, type LanguageCode } from '../intake/i18n/languages.js';

/** The direction a language is written in, for the page's `dir`. */
export function textDirection(language: LanguageCode): 'ltr' | 'rtl' {
  return languages.find((info) => info.code === language)?.direction ?? 'ltr';
}

/**
 * The one frame of every page Reportline serves, public or console: the
 * reader's language and its direction, no indexing and no referrer, our own
 * style sheet and scripts only (no CDN), what stays above the page (the quick
 * exit, the console's header), then the page itself.
 */
export function PageFrame(props: {
  language: LanguageCode;
  title: string;
  stylesheet: '/assets/site.css' | '/assets/console.css';
  scripts?: readonly string[] | undefined;
  /** Shown above the page's own content, outside `<main>`. */
  top?: Child;
  children: Child;
}) {
  return (
    <html lang={props.language} dir={textDirection(props.language)}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <meta name="referrer" content="no-referrer" />
        <title>{props.title}</title>
        <link rel="stylesheet" href={props.stylesheet} />
        {(props.scripts ?? []).map((src) => (
          <script src={src} defer></script>
        ))}
      </head>
      <body>
        {props.top}
        <main>{props.children}</main>
      </body>
    </html>
  );
}

/** A frame as a whole HTML document, for `c.html`. */
export function htmlDocument(frame: unknown): string {
  return `<!doctype html>${String(frame)}`;
}
