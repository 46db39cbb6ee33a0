import { describe, expect, it } from 'vitest';
import { languageCodes } from '../../intake/i18n/languages.js';
import { ConsolePage } from '../../portal/console/console-page.js';
import { htmlDocument, PageFrame } from '../../portal/page-frame.js';
import { PublicPage } from '../../portal/public/public-page.js';
import { testI18n } from '../support/test-portal.js';

const scriptsOf = (html: string) => [...html.matchAll(/<script src="([^"]+)"/g)].map((match) => match[1]);
const stylesheetsOf = (html: string) => [...html.matchAll(/<link rel="stylesheet" href="([^"]+)"/g)].map((m) => m[1]);
/** What the body holds before `<main>`: what stays above the page. */
const aboveMain = (html: string) => html.slice(html.indexOf('<body>'), html.indexOf('<main>'));

describe('the one page frame', () => {
  it('carries the reader’s language, right to left for Arabic only, the style sheet and the scripts asked for', () => {
    for (const language of languageCodes) {
      const html = htmlDocument(
        <PageFrame language={language} title="T" stylesheet="/assets/site.css" scripts={['/assets/receipt.js']}>
          <p id="content">x</p>
        </PageFrame>,
      );
      expect(html).toMatch(
        new RegExp(`^<!doctype html><html lang="${language}" dir="${language === 'ar' ? 'rtl' : 'ltr'}"><head>`),
      );
      expect(stylesheetsOf(html)).toEqual(['/assets/site.css']);
      expect(scriptsOf(html)).toEqual(['/assets/receipt.js']);
      expect(html).toContain('<meta name="robots" content="noindex"/>');
      expect(html).toContain('<meta name="referrer" content="no-referrer"/>');
      expect(html).toContain('<main><p id="content">x</p></main></body></html>');
    }
  });

  it('public preset: a neutral title, the quick exit in a banner above the page, its script first, the hint inside main', () => {
    const t = testI18n.getFixedT('ar', 'portal');
    const exitUrl = 'https://weather.example.org/today';
    const html = htmlDocument(
      <PublicPage t={t} language="ar" disguise={{ exitUrl }} scripts={['/assets/receipt.js']}>
        <p id="content">x</p>
      </PublicPage>,
    );
    expect(html).toContain('<html lang="ar" dir="rtl">');
    expect(html).toContain(`<title>${t('disguise.title')}</title>`);
    // A form, so the exit works without a script: it posts to /leave, which ends the visit (quick-exit.ts).
    expect(aboveMain(html)).toMatch(/^<body><header class="leave"><form method="post" action="\/leave"/);
    expect(aboveMain(html)).toContain(`data-exit="${exitUrl}"`);
    expect(stylesheetsOf(html)).toEqual(['/assets/site.css']);
    expect(scriptsOf(html)).toEqual(['/assets/quick-exit.js', '/assets/receipt.js']);
    expect(html).toMatch(/<main><p id="content">x<\/p><p class="hint keyboard-only">[^<]+<\/p><\/main>/);
  });

  it('public preset: the deployment’s neutral name is the title of every page, in every language', () => {
    for (const language of languageCodes) {
      const html = htmlDocument(
        <PublicPage
          t={testI18n.getFixedT(language, 'portal')}
          language={language}
          disguise={{ exitUrl: 'https://example.org/', neutralName: 'Garden notes' }}
        >
          <p>x</p>
        </PublicPage>,
      );
      expect(html).toContain('<title>Garden notes</title>');
    }
  });

  it('console preset: its own style sheet and header, no script and no quick exit', () => {
    const t = testI18n.getFixedT('th', 'staff');
    const html = htmlDocument(
      <ConsolePage t={t} language="th" title="Queue">
        <p id="content">x</p>
      </ConsolePage>,
    );
    expect(html).toContain('<html lang="th" dir="ltr">');
    expect(html).toContain('<title>Queue · Reportline</title>');
    expect(stylesheetsOf(html)).toEqual(['/assets/console.css']);
    expect(scriptsOf(html)).toEqual([]);
    expect(html).not.toContain('data-leave');
    expect(aboveMain(html)).toMatch(/^<body><header class="console-header">/);
    expect(html).toContain('<main><p id="content">x</p></main>');
  });
});
