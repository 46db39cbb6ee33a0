import type { Context } from 'hono';
import type { i18n } from 'i18next';
import type { FieldCipher } from '../../intake/crypto/field-cipher.js';
import type { LanguageCode } from '../../intake/i18n/languages.js';
import { visitorLanguage } from '../http/request-language.js';
import { viewerTimeZone } from '../time/viewer-time-zone.js';
import { htmlDocument } from '../page-frame.js';
import { ConsolePage } from './console-page.js';
import { dutyDeskBannerOf } from '../staff/urgent-duty-desk.js';
import { consoleFormToken, type ConsoleEnv } from './console-session.js';

/**
 * How the staff console and the agency inbox answer: a page in the reader's
 * language within the console's frame, a refusal, a case that is not there
 * (the same answer for one that exists but is not the reader's).
 */
export function consolePages(
  i18n: i18n,
  cipher: FieldCipher,
  /** An agency account's agency by its name in the reader's language (the header names it). */
  agencyName?: (agencyId: string, language: LanguageCode) => string,
) {
  const tOf = (c: Context) => i18n.getFixedT(visitorLanguage(c), 'staff');

  function page(c: Context<ConsoleEnv>, title: string, body: unknown, status: 200 | 400 | 404 = 200) {
    const language = visitorLanguage(c);
    const html = (
      <ConsolePage
        t={tOf(c)}
        language={language}
        title={title}
        user={c.get('user')}
        agencyName={c.get('user').agencyId && agencyName ? agencyName(c.get('user').agencyId!, language) : undefined}
        token={consoleFormToken(cipher, c)}
        timeZone={viewerTimeZone(c)}
        banner={dutyDeskBannerOf(c, tOf(c))}
      >
        {body as never}
      </ConsolePage>
    );
    return c.html(htmlDocument(html), status);
  }

  /** Refused before a user is known to be allowed: no navigation, just why and where to sign in. */
  function refuse(c: Context, reason: 'forbidden' | 'formExpired') {
    const t = tOf(c);
    const html = (
      <ConsolePage t={t} language={visitorLanguage(c)} title={t(`refused.${reason}`)}>
        <h1 data-message={`refused.${reason}`}>{t(`refused.${reason}`)}</h1>
        <p>
          <a href="/staff/login">{t('login.title')}</a>
        </p>
      </ConsolePage>
    );
    return c.html(htmlDocument(html), 403);
  }

  /** A 404 page saying what was not found: a case unless told (a compound's page says there is no such compound). */
  const notFound = (c: Context<ConsoleEnv>, key = 'case.notFound') =>
    page(c, tOf(c)(key), <h1 data-message={key}>{tOf(c)(key)}</h1>, 404);
  /** Who did it, for the audit log: the account, never a name. */
  const actorOf = (c: Context<ConsoleEnv>) => `user:${c.get('user').id}`;

  return { tOf, page, refuse, notFound, actorOf };
}
