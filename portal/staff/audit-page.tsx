import type { TFunction } from 'i18next';
import type { StaffUser } from '../../intake/accounts/account-store.js';
import type { AuditEvent } from '../../intake/store/audit-log.js';
import { actorLabel, historyKey } from '../console/case-history.js';

/** The audit log for an administrator: who did what, and who looked at whose data, newest first. */
export function AuditPage(props: {
  t: TFunction;
  events: Array<AuditEvent & { reference: string | undefined }>;
  users: StaffUser[];
  agencyName: (id: string) => string;
  filter: { reference: string; action: string };
  olderHref: string | undefined;
}) {
  const { t } = props;
  return (
    <>
      <h1>{t('audit.title')}</h1>
      <form method="get" action="/staff/audit" class="filters">
        <div>
          <label for="reference">{t('audit.reference')}</label>
          <input
            type="text"
            id="reference"
            name="reference"
            value={props.filter.reference}
            placeholder="RL-XXXX-XXXX"
          />
        </div>
        <div>
          <label for="action">{t('audit.action')}</label>
          <input type="text" id="action" name="action" value={props.filter.action} placeholder="report.viewed" />
        </div>
        <button type="submit">{t('queue.filter')}</button>
      </form>
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">{t('audit.when')}</th>
              <th scope="col">{t('audit.who')}</th>
              <th scope="col">{t('audit.what')}</th>
              <th scope="col">{t('audit.case')}</th>
              <th scope="col">{t('audit.detail')}</th>
            </tr>
          </thead>
          <tbody>
            {props.events.map((event) => (
              <tr>
                <td>
                  <time datetime={event.occurredAt}>{event.occurredAt.replace('T', ' ').slice(0, 19)}</time>
                </td>
                <td>
                  {actorLabel(event.actor, props.users, t, props.agencyName)} <span class="hint">{event.actor}</span>
                </td>
                <td data-message={historyKey(event.action)}>
                  {t(historyKey(event.action), { defaultValue: event.action })} <span class="hint">{event.action}</span>
                </td>
                <td>{event.reference ? <a href={`/staff/cases/${event.reference}`}>{event.reference}</a> : ''}</td>
                <td>
                  <code>{JSON.stringify(event.detail)}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {props.olderHref ? (
        <p class="pager">
          <a href={props.olderHref}>{t('audit.older')}</a>
        </p>
      ) : null}
    </>
  );
}
