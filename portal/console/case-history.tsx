import type { TFunction } from 'i18next';
import type { StaffUser } from '../../intake/accounts/account-store.js';
import type { AuditEvent } from '../../intake/store/audit-log.js';
import { DateTime, viewerDateTime } from '../time/date-time.js';

/** Who did something, as a person reads it: a colleague's name, a channel, the delivery system. */
export function actorLabel(
  actor: string,
  users: StaffUser[],
  t: TFunction,
  agencyName: (id: string) => string,
): string {
  const [kind, id = ''] = actor.split(/:(.*)/s);
  switch (kind) {
    case 'user':
      return users.find((user) => user.id === id)?.username ?? t('actor.formerUser');
    case 'channel':
      return t('actor.channel', { channel: t(`channel.${id}`) });
    case 'agency':
      return agencyName(id);
    case 'token':
      return t('actor.token');
    case 'dispatcher':
      return t('actor.dispatcher');
    case 'api':
      return t('actor.api');
    default:
      return t('actor.system');
  }
}

/** Audit actions a person reads in a case's history; the key has no dots (i18next reads a dot as nesting). */
export const historyKey = (action: string) => `history.${action.replace(/\./g, '_')}`;

/**
 * A case's history: every change, oldest first, and who has looked at it
 * (each look is in the audit log; here they are summed up per person).
 */
export function CaseHistory(props: {
  t: TFunction;
  events: AuditEvent[];
  viewers: Array<{ actor: string; views: number; lastAt: string }>;
  users: StaffUser[];
  agencyName: (id: string) => string;
}) {
  const { t } = props;
  return (
    <>
      {props.viewers.length > 0 ? (
        <p>
          {t('history.lookedAt')}{' '}
          {props.viewers
            .map((viewer) =>
              t('history.viewer', {
                who: actorLabel(viewer.actor, props.users, t, props.agencyName),
                times: String(viewer.views),
                at: viewerDateTime(viewer.lastAt),
              }),
            )
            .join('; ')}
        </p>
      ) : null}
      <ol class="history">
        {props.events.map((event) => (
          <li>
            <DateTime iso={event.occurredAt} /> — {actorLabel(event.actor, props.users, t, props.agencyName)}:{' '}
            {t(historyKey(event.action), { defaultValue: event.action })}
          </li>
        ))}
      </ol>
    </>
  );
}
