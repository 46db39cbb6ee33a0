import type { TFunction } from 'i18next';
import type { EmergencyContactView } from '../../../intake/conversation/conversation-types.js';
import { EmergencyContactList } from '../emergency-contact-list.js';
import { Isolated } from '../bidi-isolate.js';
import { RecoveryShield } from '../check-recovery-shield.js';

export interface ConfirmationProps {
  t: TFunction;
  /** The page's direction: in a right-to-left page the agency names and codes are isolated. */
  direction: 'ltr' | 'rtl';
  reference: string;
  receiptCode: string;
  /** Where the report goes and why, in the reader's language. */
  routingLines: string[];
  /** Keys in the `conversation` namespace (`advice.callBank`). */
  adviceKeys: string[];
  contacts: EmergencyContactView[];
  /** The print-friendly version: the codes and what to do, nothing else. */
  print: boolean;
  /** The report tells of money paid: the recovery-scam shield is shown with what to do now. */
  lostMoney?: boolean;
}

function Code(props: { t: TFunction; label: string; value: string }) {
  return (
    <div class="receipt-line">
      <span class="receipt-label">{props.label}</span>
      <strong class="code">
        <bdi>{props.value}</bdi>
      </strong>
      {/* Shown by the page script only: without it, the code is plain text to select. */}
      <button type="button" data-copy={props.value} data-copied={props.t('form.done.copied')} hidden>
        {props.t('form.done.copy')}
      </button>
    </div>
  );
}

/** The page after sending: the two codes to keep, where the report goes, and what to do now. */
export function ConfirmationPage(props: ConfirmationProps) {
  const { t } = props;
  return (
    <>
      <h1 data-message="form.done.title">{t('form.done.title')}</h1>
      <section class="receipt" aria-labelledby="receipt-title">
        <h2 id="receipt-title">{t('form.done.keepTitle')}</h2>
        <Code t={t} label={t('status.reference')} value={props.reference} />
        <Code t={t} label={t('status.receiptCode')} value={props.receiptCode} />
        <p>{t('form.done.keepHint')}</p>
        {props.print ? null : (
          <p class="commands">
            <button type="button" data-print="" hidden>
              {t('form.done.print')}
            </button>
            <a href="/report?print=1">{t('form.done.printVersion')}</a>
          </p>
        )}
      </section>
      <section aria-labelledby="routing-title">
        <h2 id="routing-title">{t('form.done.routingTitle')}</h2>
        <ul>
          {props.routingLines.map((line) => (
            <li>
              <Isolated text={line} direction={props.direction} />
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="next-title">
        <h2 id="next-title">{t('form.done.nextTitle')}</h2>
        <p>{t('form.done.next')}</p>
        <ul>
          {props.adviceKeys.map((key) => (
            <li data-message={`conversation:${key}`}>{t(`conversation:${key}`)}</li>
          ))}
        </ul>
        {props.lostMoney ? <RecoveryShield t={t} /> : null}
      </section>
      <section aria-labelledby="contacts-title">
        <h2 id="contacts-title">{t('form.done.contactsTitle')}</h2>
        <EmergencyContactList contacts={props.contacts} emptyText={t('form.done.noContacts')} />
      </section>
      {props.print ? (
        <p>
          <a href="/report">{t('form.done.backFromPrint')}</a>
        </p>
      ) : (
        <p>
          <a class="button" href="/status">
            {t('landing.status')}
          </a>
        </p>
      )}
    </>
  );
}
