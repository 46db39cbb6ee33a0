import type { TFunction } from 'i18next';
import type { FreezeRequestView } from '../../intake/mules/mule-use-cases.js';
import { DateTime } from '../time/date-time.js';

/** `1:05`: hours and minutes, the same in every language. */
function hoursAndMinutes(ms: number): string {
  const minutes = Math.floor(Math.abs(ms) / 60_000);
  return `${Math.floor(minutes / 60)}:${String(minutes % 60).padStart(2, '0')}`;
}

/** How long is left to send it, or by how much it is late; sent, when and to whom. */
export function FreezeRequestClock(props: { t: TFunction; request: FreezeRequestView }) {
  const { t, request } = props;
  if (request.sentAt && (request.sentVia === 'phone' || request.sentVia === 'form')) {
    const key = request.sentVia === 'phone' ? 'mules.requestedByPhone' : 'mules.requestedByForm';
    return (
      <span class="badge" data-message={key}>
        {t(key, { channel: request.sentToChannel?.name.en ?? request.sentTo ?? '' })} <DateTime iso={request.sentAt} />
      </span>
    );
  }
  if (request.sentAt)
    return (
      <span class="badge" data-message="mules.sent">
        {t('mules.sent', { desk: request.desk?.name ?? request.sentTo ?? '' })} <DateTime iso={request.sentAt} />
      </span>
    );
  const left = request.msLeft ?? 0;
  return left < 0 ? (
    <span class="urgent-badge" data-message="mules.overdue">
      {t('mules.overdue', { time: hoursAndMinutes(left) })}
    </span>
  ) : (
    <span class="badge" data-message="mules.timeLeft">
      {t('mules.timeLeft', { time: hoursAndMinutes(left) })}
    </span>
  );
}

/**
 * Where its e-mail is once Send was pressed: queued (and, after a failed try, that it is tried again by itself), or
 * given up with the failure's code (Send queues it again). A sent one says so in its clock.
 */
function FreezeRequestMailState(props: { t: TFunction; request: FreezeRequestView }) {
  const { t, request } = props;
  const mail = request.mail;
  const desk = request.desk?.name ?? request.sentTo ?? '';
  // Its e-mail deleted by retention once given up: the request keeps the failure's code, and Send queues it anew.
  if (!mail && !request.sentAt && request.lastError)
    return (
      <p class="error" role="alert" data-mail-status="failed">
        <span data-message="mules.failed">{t('mules.failed', { desk })}</span> <code>{request.lastError}</code>
      </p>
    );
  if (!mail || request.sentAt || mail.status === 'sent') return null;
  if (mail.status === 'pending')
    return (
      <p class="hint" role="status" data-mail-status="pending">
        <span data-message="mules.queued">{t('mules.queued', { desk })}</span>
        {mail.lastError ? (
          <>
            {' '}
            <span data-message="mules.retrying">{t('mules.retrying')}</span> <code>{mail.lastError}</code>
          </>
        ) : null}
      </p>
    );
  return (
    <p class="error" role="alert" data-mail-status="failed">
      <span data-message="mules.failed">{t('mules.failed', { desk })}</span>{' '}
      <code>{mail.lastError ?? request.lastError ?? ''}</code>
    </p>
  );
}

/**
 * Without a fraud desk for the bank: the national anti-scam centre of the account's country, to call now or write
 * to on its form, what to know first, where these facts come from, and the buttons that record it was asked.
 */
function FreezeChannel(props: { t: TFunction; request: FreezeRequestView; token: string; back: 'case' | 'list' }) {
  const { t, request } = props;
  const channel = request.channel;
  if (!channel) return null;
  const record = (via: 'phone' | 'form', label: string) => (
    <form method="post" action={`/staff/freeze-requests/${request.id}/record`} class="inline-form">
      <input type="hidden" name="token" value={props.token} />
      <input type="hidden" name="back" value={props.back} />
      <input type="hidden" name="via" value={via} />
      <button type="submit" data-record={via}>
        {label}
      </button>
    </form>
  );
  return (
    <div class="freeze-channel" data-freeze-channel={channel.id}>
      <p data-message="mules.channel.intro">
        {t('mules.channel.intro')}{' '}
        <strong>
          <bdi>{channel.name.en}</bdi>
        </strong>
        {channel.name.local ? (
          <>
            {' '}
            (<bdi>{channel.name.local}</bdi>)
          </>
        ) : null}
      </p>
      <ul>
        {channel.phone ? (
          <li data-message="mules.channel.call">
            {t('mules.channel.call')}{' '}
            <a href={`tel:${channel.phone}`} data-channel-phone={channel.phone}>
              <bdi>{channel.phone}</bdi>
            </a>
            {channel.allHours ? <> {t('mules.channel.allHours')}</> : null}
          </li>
        ) : null}
        {channel.form ? (
          <li data-message="mules.channel.form">
            {t('mules.channel.form')}{' '}
            <a href={channel.form} rel="noopener noreferrer" target="_blank" data-channel-form={channel.form}>
              <bdi>{channel.form}</bdi>
            </a>
          </li>
        ) : null}
      </ul>
      {channel.noteKey ? (
        <p class="hint" data-message={channel.noteKey}>
          {t(channel.noteKey)}
        </p>
      ) : null}
      <p class="hint">
        {t('mules.channel.sources')}{' '}
        {channel.sources.map((source, index) => (
          <>
            {index > 0 ? ' · ' : null}
            <a href={source} rel="noopener noreferrer" target="_blank">
              {new URL(source).hostname}
            </a>
          </>
        ))}
      </p>
      {channel.phone ? record('phone', t('mules.channel.recordPhone')) : null}
      {channel.form ? record('form', t('mules.channel.recordForm')) : null}
    </div>
  );
}

/**
 * One freeze request: the account, the bank, the payment, its clock and the button that sends it to the bank's
 * fraud desk (a form, so it works without script). `back`: where the console returns after sending.
 */
export function FreezeRequestDetails(props: {
  t: TFunction;
  request: FreezeRequestView;
  token: string;
  back: 'case' | 'list';
}) {
  const { t, request } = props;
  return (
    <div class="freeze-request" data-freeze-request={request.id}>
      <p>
        <FreezeRequestClock t={t} request={request} />
      </p>
      <dl>
        <dt>{t('mules.account')}</dt>
        <dd>
          <bdi>{request.account.original}</bdi> (<code>{request.account.value}</code>)
        </dd>
        <dt>{t('mules.bank')}</dt>
        <dd>{request.bank ? <code>{request.bank}</code> : t('mules.bankUnknown')}</dd>
        <dt>{t('mules.payment')}</dt>
        <dd>
          <bdi>
            {request.amount.toLocaleString('en')} {request.currency}
          </bdi>
          {' · '}
          <time datetime={request.paidOn}>{request.paidOn}</time>
        </dd>
        <dt>{t('mules.references')}</dt>
        <dd>{request.references.length > 0 ? <code>{request.references.join(', ')}</code> : '—'}</dd>
        <dt>{t('mules.case')}</dt>
        <dd>
          <a href={`/staff/cases/${request.reference}`}>{request.reference}</a>
        </dd>
      </dl>
      <FreezeRequestMailState t={t} request={request} />
      {request.sentAt || request.mail?.status === 'pending' ? null : request.desk ? (
        <form method="post" action={`/staff/freeze-requests/${request.id}/send`} class="inline-form">
          <input type="hidden" name="token" value={props.token} />
          <input type="hidden" name="back" value={props.back} />
          <button type="submit">{t('mules.send', { desk: request.desk.name })}</button>
        </form>
      ) : request.channel ? (
        <FreezeChannel t={t} request={request} token={props.token} back={props.back} />
      ) : (
        <p class="hint" data-message="mules.noDesk">
          {t('mules.noDesk')}
        </p>
      )}
    </div>
  );
}
