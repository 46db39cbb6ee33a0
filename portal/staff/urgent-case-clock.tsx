import type { TFunction } from 'i18next';
import type { UrgentClockView } from '../../intake/urgent/urgent-cases.js';
import { DateTime } from '../time/date-time.js';
import { minutesUntil } from './urgent-time-left.js';

/**
 * An urgent case's clock on its page: since when it is urgent, whether the
 * hotline took it (or by when it must), the agency awaited and by when it must
 * accept, and where the case was offered next. The acknowledge button takes
 * the case for the hotline without assigning it (taking it also does).
 */
export function UrgentCaseClock(props: {
  t: TFunction;
  clock: UrgentClockView | undefined;
  now: Date;
  reference: string;
  token: string;
  agencyName: (agencyId: string) => string;
}) {
  const { t, clock } = props;
  if (!clock) return null;
  const agencyLeft = clock.agencyAcceptDueAt ? minutesUntil(clock.agencyAcceptDueAt, props.now) : undefined;
  const hotlineLeft = minutesUntil(clock.hotlineAckDueAt, props.now);
  return (
    <section id="urgent-clock" class="urgent-case-clock" aria-labelledby="urgent-clock-title">
      <h2 id="urgent-clock-title">{t('urgent.clock.title')}</h2>
      <dl>
        <dt>{t('urgent.clock.since')}</dt>
        <dd>
          <DateTime iso={clock.urgentSince} />
        </dd>
        <dt>{t('urgent.clock.hotline')}</dt>
        <dd data-urgent-hotline={clock.acknowledgedAt ? 'taken' : hotlineLeft > 0 ? 'left' : 'overdue'}>
          {clock.acknowledgedAt ? (
            <>
              {t('urgent.clock.taken')} <DateTime iso={clock.acknowledgedAt} />
            </>
          ) : hotlineLeft > 0 ? (
            t('urgent.clock.left', { minutes: hotlineLeft })
          ) : (
            t('urgent.clock.overdue', { minutes: -hotlineLeft })
          )}
          {clock.supervisorAlertedAt ? (
            <>
              {' · '}
              {t('urgent.clock.supervisorAlerted')} <DateTime iso={clock.supervisorAlertedAt} />
            </>
          ) : null}
        </dd>
        {clock.agencyId ? (
          <>
            <dt>{t('urgent.clock.agency')}</dt>
            <dd data-urgent-agency={clock.agencyId}>
              <bdi>{props.agencyName(clock.agencyId)}</bdi>
              {' · '}
              {clock.agencyAcceptedAt
                ? t('urgent.clock.agencyAccepted')
                : agencyLeft === undefined
                  ? t('urgent.clock.noFurtherAgency')
                  : agencyLeft > 0
                    ? t('urgent.clock.left', { minutes: agencyLeft })
                    : t('urgent.clock.overdue', { minutes: -agencyLeft })}
            </dd>
          </>
        ) : null}
        {clock.escalatedTo ? (
          <>
            <dt>{t('urgent.clock.escalated')}</dt>
            <dd data-urgent-escalated={clock.escalatedTo}>
              <bdi>{props.agencyName(clock.escalatedTo)}</bdi>{' '}
              {clock.escalatedAt ? <DateTime iso={clock.escalatedAt} /> : null}
            </dd>
          </>
        ) : null}
      </dl>
      {clock.acknowledgedAt ? null : (
        <form method="post" action={`/staff/cases/${props.reference}/acknowledge`}>
          <input type="hidden" name="token" value={props.token} />
          <button type="submit">{t('urgent.ack.button')}</button>
        </form>
      )}
    </section>
  );
}
