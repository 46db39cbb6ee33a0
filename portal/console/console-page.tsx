import type { Child } from 'hono/jsx';
import type { TFunction } from 'i18next';
import type { StaffUser } from '../../intake/accounts/account-store.js';
import { languages, type LanguageCode } from '../../intake/i18n/languages.js';

/**
 * The frame of every page of the staff console and the agency inbox: the
 * reader's language and direction, where they are, who is signed in, and
 * signing out. Our own style sheet only; no script at all.
 */
export function ConsolePage(props: {
  t: TFunction;
  language: LanguageCode;
  title: string;
  user?: StaffUser | undefined;
  /** The form token of this session, for the sign-out button. */
  token?: string;
  children: Child;
}) {
  const { t, user } = props;
  const direction = languages.find((info) => info.code === props.language)?.direction ?? 'ltr';
  const home = user?.role === 'agency' ? '/agency' : '/staff';
  return (
    <html lang={props.language} dir={direction}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <meta name="referrer" content="no-referrer" />
        <title>{`${props.title} · Reportline`}</title>
        <link rel="stylesheet" href="/assets/console.css" />
      </head>
      <body>
        <header class="console-header">
          <a class="brand" href={home}>
            Reportline
          </a>
          {user ? (
            <nav aria-label={t('nav.label')}>
              <ul>
                {user.role === 'agency' ? (
                  <li>
                    <a href="/agency">{t('nav.inbox')}</a>
                  </li>
                ) : (
                  <>
                    <li>
                      <a href="/staff">{t('nav.queue')}</a>
                    </li>
                    <li>
                      <a href="/staff?assigned=me">{t('nav.mine')}</a>
                    </li>
                    {user.role === 'admin' ? (
                      <li>
                        <a href="/staff/audit">{t('nav.audit')}</a>
                      </li>
                    ) : null}
                  </>
                )}
              </ul>
            </nav>
          ) : null}
          {user ? (
            <form method="post" action="/staff/logout" class="signed-in">
              <span>
                {user.username} ({t(`role.${user.role}`)}
                {user.agencyId ? ` · ${user.agencyId}` : ''})
              </span>
              <input type="hidden" name="token" value={props.token} />
              <button type="submit">{t('nav.signOut')}</button>
            </form>
          ) : null}
        </header>
        <main>{props.children}</main>
      </body>
    </html>
  );
}
