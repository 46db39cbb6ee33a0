import { describe, expect, it } from 'vitest';
import { languageCodes } from '../../intake/i18n/languages.js';
import { ConsolePage } from '../../portal/console/console-page.js';
import { htmlDocument, PageFrame } from '../../portal/page-frame.js';
import { neutralSite, PublicPage } from '../../portal/public/public-page.js';
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

  it('public preset: the quick exit above the page, its script first, the leaving hint after the content', () => {
    const t = testI18n.getFixedT('ar', 'portal');
    const html = htmlDocument(
      <PublicPage t={t} language="ar" title="T" scripts={['/assets/receipt.js']}>
        <p id="content">x</p>
      </PublicPage>,
    );
    expect(html).toContain('<html lang="ar" dir="rtl">');
    expect(aboveMain(html)).toContain(`<a href="${neutralSite}" data-leave="" rel="noreferrer">`);
    expect(stylesheetsOf(html)).toEqual(['/assets/site.css']);
    expect(scriptsOf(html)).toEqual(['/assets/quick-exit.js', '/assets/receipt.js']);
    expect(html).toMatch(/<main><p id="content">x<\/p><p class="hint">[^<]+<\/p><\/main>/);
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
