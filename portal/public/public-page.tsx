import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import type { i18n, TFunction } from 'i18next';
import type { LanguageCode } from '../../intake/i18n/languages.js';
import { htmlDocument, PageFrame } from '../page-frame.js';

/** Where the quick exit goes: an ordinary news page, nothing that hints at a report. */
export const neutralSite = 'https://www.bbc.com/weather';

/**
 * The public preset of the page frame: the quick-exit link at the top (and
 * its script: Escape twice), and the hint on leaving quickly below the page.
 */
export function PublicPage(props: {
  t: TFunction;
  language: LanguageCode;
  title: string;
  children: Child;
  scripts?: string[];
}) {
  return (
    <PageFrame
      language={props.language}
      title={props.title}
      stylesheet="/assets/site.css"
      scripts={['/assets/quick-exit.js', ...(props.scripts ?? [])]}
      top={
        <div class="leave">
          <a href={neutralSite} data-leave="" rel="noreferrer">
            {props.t('leaveSite')}
          </a>
        </div>
      }
    >
      {props.children}
      <p class="hint">{props.t('leaveSiteHint')}</p>
    </PageFrame>
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
  return c.html(htmlDocument(html), page.status ?? 200);
}
