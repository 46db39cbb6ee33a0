import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import type { i18n, TFunction } from 'i18next';
import type { LanguageCode } from '../../intake/i18n/languages.js';
import { htmlDocument, PageFrame } from '../page-frame.js';
import { disguiseOf, type PublicDisguise } from './disguise.js';

/**
 * The public preset of the page frame. Its title is the deployment's neutral
 * name on every page, so the tab switcher and the history never name the
 * purpose. At the top, in a banner landmark, the quick exit: a form posting to
 * `/leave` (it works without a script; see quick-exit.ts), a large fixed button
 * on a phone; the page script adds Escape twice, and the hint about Escape is
 * shown only where a keyboard is likely (see site.css).
 */
export function PublicPage(props: {
  t: TFunction;
  language: LanguageCode;
  disguise: PublicDisguise;
  children: Child;
  scripts?: string[];
}) {
  const { t, disguise } = props;
  return (
    <PageFrame
      language={props.language}
      title={disguise.neutralName ?? t('disguise.title')}
      stylesheet="/assets/site.css"
      // The receipt's script comes with every page, so on a slow link it is already cached when the receipt shows.
      scripts={[...new Set(['/assets/quick-exit.js', '/assets/receipt.js', ...(props.scripts ?? [])])]}
      top={
        <header class="leave">
          <form method="post" action="/leave" data-exit={disguise.exitUrl}>
            <button type="submit" data-leave="">
              {t('leaveSite')}
            </button>
          </form>
        </header>
      }
    >
      {props.children}
      <p class="hint keyboard-only">{t('leaveSiteHint')}</p>
    </PageFrame>
  );
}

/** A whole public page as the response: the frame in the reader's language around the body. */
export function publicPageResponse(
  c: Context,
  i18n: i18n,
  page: { language: LanguageCode; body: unknown; status?: 200 | 400 | 413 | 429; scripts?: string[] },
) {
  const html = (
    <PublicPage
      t={i18n.getFixedT(page.language, 'portal')}
      language={page.language}
      disguise={disguiseOf(c)}
      {...(page.scripts ? { scripts: page.scripts } : {})}
    >
      {page.body as never}
    </PublicPage>
  );
  return c.html(htmlDocument(html), page.status ?? 200);
}
