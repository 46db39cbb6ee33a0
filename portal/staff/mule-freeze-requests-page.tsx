import type { TFunction } from 'i18next';
import { ActionOutcome } from '../console/action-outcome.js';
import type { FreezeRequestView } from '../../intake/mules/mule-use-cases.js';
import { FreezeRequestDetails } from './mule-freeze-request-row.js';

/** The freeze requests to send, overdue first, then those sent lately. */
export function FreezeRequestsPage(props: {
  t: TFunction;
  open: readonly FreezeRequestView[];
  sent: readonly FreezeRequestView[];
  token: string;
  notice?: string | undefined;
  error?: string | undefined;
}) {
  const { t } = props;
  return (
    <>
      <h1>{t('mules.freezeTitle')}</h1>
      <p class="hint">{t('mules.freezeHint')}</p>
      <p>
        <a href="/staff/mule-accounts">{t('mules.accountsNav')}</a>
      </p>
      <ActionOutcome t={t} notice={props.notice} error={props.error} />
      <section class="panel" aria-labelledby="freeze-open-title">
        <h2 id="freeze-open-title">{t('mules.open', { number: String(props.open.length) })}</h2>
        {props.open.length === 0 ? (
          <p data-message="mules.noneOpen">{t('mules.noneOpen')}</p>
        ) : (
          props.open.map((request) => <FreezeRequestDetails t={t} request={request} token={props.token} back="list" />)
        )}
      </section>
      {props.sent.length > 0 ? (
        <section class="panel" aria-labelledby="freeze-sent-title">
          <h2 id="freeze-sent-title">{t('mules.sentTitle')}</h2>
          {props.sent.map((request) => (
            <FreezeRequestDetails t={t} request={request} token={props.token} back="list" />
          ))}
        </section>
      ) : null}
    </>
  );
}
