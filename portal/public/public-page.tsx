import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import type { i18n, TFunction } from 'i18next';
import { languages, type LanguageCode } from '../../intake/i18n/languages.js';

/** Where the quick exit goes: an ordinary news page, nothing that hints at a report. */
export const neutralSite = 'https://www.bbc.com/weather';

/**
 * The frame of every public page: the visitor's language and direction, the
 * quick-exit link at the top, our own style sheet and script only.
 */
export function PublicPage(props: {
  t: TFunction;
  language: LanguageCode;
  title: string;
  children: Child;
  scripts?: string[];
}) {
  const direction = languages.find((info) => info.code === props.language)?.direction ?? 'ltr';
  return (
    <html lang={props.language} dir={direction}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <meta name="referrer" content="no-referrer" />
        <title>{props.title}</title>
        <link rel="stylesheet" href="/assets/site.css" />
        <script src="/assets/quick-exit.js" defer></script>
        {(props.scripts ?? []).map((src) => (
          <script src={src} defer></script>
        ))}
      </head>
      <body>
        <div class="leave">
          <a href={neutralSite} data-leave="" rel="noreferrer">
            {props.t('leaveSite')}
          </a>
        </div>
        <main>
          {props.children}
          <p class="hint">{props.t('leaveSiteHint')}</p>
        </main>
      </body>
    </html>
  );
}

/** A whole public page as the response: the frame in the reader's language around the body. */
export function publicPageResponse(
  c: Context,
  i18n: i18n,
  page: { language: LanguageCode; title: string; body: unknown; status?: 200 | 400 | 413 | 429; scripts?: string[] },
) {
  const html = (
    <PublicPage
      t={i18n.getFixedT(page.language, 'portal')}
      language={page.language}
      title={page.title}
      {...(page.scripts ? { scripts: page.scripts } : {})}
    >
      {page.body as never}
    </PublicPage>
  );
  return c.html(`<!doctype html>${html.toString()}`, page.status ?? 200);
}
