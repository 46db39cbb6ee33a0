import type { TFunction } from 'i18next';
import type { FreezeRequestView } from '../../intake/mules/mule-use-cases.js';
import { FreezeRequestDetails } from './mule-freeze-request-row.js';

/** A case's freeze requests on its page: shown only when a recent payment made one. */
export function FreezeRequestsCaseSection(props: {
  t: TFunction;
  requests: readonly FreezeRequestView[] | undefined;
  token: string;
}) {
  const { t, requests } = props;
  if (!requests || requests.length === 0) return null;
  return (
    <section class="panel" aria-labelledby="freeze-requests-title" id="freeze-requests">
      <h2 id="freeze-requests-title">{t('mules.caseSection')}</h2>
      <p class="hint">{t('mules.caseHint')}</p>
      {requests.map((request) => (
        <FreezeRequestDetails t={t} request={request} token={props.token} back="case" />
      ))}
    </section>
  );
}
