import type { Child } from 'hono/jsx';
import type { TFunction } from 'i18next';
import type { StaffUser } from '../../intake/accounts/account-store.js';
import type { LanguageCode } from '../../intake/i18n/languages.js';
import { PageFrame } from '../page-frame.js';
import { ViewerContext } from '../time/date-time.js';
import { TimeZoneChoice } from '../time/time-zone-choice.js';

/**
 * The console preset of the page frame, for every page of the staff console
 * and the agency inbox: where they are, who is signed in, and signing out.
 * Its own style sheet; no script at all.
 */
export function ConsolePage(props: {
  t: TFunction;
  language: LanguageCode;
  title: string;
  user?: StaffUser | undefined;
  /** The signed-in agency account's agency, by name (its id when not given). */
  agencyName?: string | undefined;
  /** The form token of this session, for the sign-out button. */
  token?: string;
  /** The zone the reader reads times in (`?tz=`, else the deployment's); UTC when not given. */
  timeZone?: string;
  /** The duty desk's banner (hotline pages), kept current by its own small script. */
  banner?: Child;
  children: Child;
}) {
  const { t, user } = props;
  const timeZone = props.timeZone ?? 'UTC';
  const home = user?.role === 'agency' ? '/agency' : '/staff';
  return (
    <PageFrame
      language={props.language}
      title={`${props.title} · Reportline`}
      stylesheet="/assets/console.css"
      scripts={props.banner ? ['/assets/duty-desk.js'] : undefined}
      top={
        <header class="console-header">
          <a class="brand" href={home}>
            Reportline
          </a>
          {user ? (
            <nav aria-label={t('nav.label')}>
              <ul>
                {user.role === 'agency' ? (
                  <>
                    <li>
                      <a href="/agency">{t('nav.inbox')}</a>
                    </li>
                    <li>
                      <a href="/agency/dashboard">{t('dashboard.nav')}</a>
                    </li>
                    <li>
                      <a href="/agency/compounds">{t('compounds.nav')}</a>
                    </li>
                  </>
                ) : (
                  <>
                    <li>
                      <a href="/staff">{t('nav.queue')}</a>
                    </li>
                    <li>
                      <a href="/staff?assigned=me">{t('nav.mine')}</a>
                    </li>
                    <li>
                      <a href="/staff/dashboard">{t('dashboard.nav')}</a>
                    </li>
                    <li>
                      <a href="/staff/compounds">{t('compounds.nav')}</a>
                    </li>
                    <li>
                      <a href="/staff/freeze-requests">{t('mules.freezeNav')}</a>
                    </li>
                    <li>
                      <a href="/staff/checks">{t('checks.nav.link')}</a>
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
          {user ? <TimeZoneChoice t={t} language={props.language} timeZone={timeZone} /> : null}
          {user ? (
            <form method="post" action="/staff/logout" class="signed-in">
              <span>
                <bdi>{user.username}</bdi> ({t(`role.${user.role}`)}
                {user.agencyId ? (
                  <>
                    {' · '}
                    <bdi>{props.agencyName ?? user.agencyId}</bdi>
                  </>
                ) : null}
                )
              </span>
              <input type="hidden" name="token" value={props.token} />
              <button type="submit">{t('nav.signOut')}</button>
            </form>
          ) : null}
          {props.banner}
        </header>
      }
    >
      <ViewerContext.Provider value={{ language: props.language, timeZone }}>{props.children}</ViewerContext.Provider>
    </PageFrame>
  );
}
