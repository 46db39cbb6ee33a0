import type { TFunction } from 'i18next';
import type { Transaction } from 'kysely';
import type { FieldCipher } from '../crypto/field-cipher.js';
import { queueMail, type MailMessage } from '../mail/mail-outbox.js';
import { countryName } from '../routing/display-names.js';
import type { Database } from '../store/database.js';

export interface SupervisorAlert {
  reportId: string;
  reference: string;
  country: string | null;
  /** When the case became urgent: how long it has waited is told from it. */
  urgentSince: string;
  at: Date;
}

/**
 * The supervisors' e-mail when nobody at the hotline took an urgent case in
 * time: the reference, the country, how long it has waited and the link to
 * its page in the console. Nothing a person wrote, nor who they are: the
 * mail crosses servers we do not control and is read on phones.
 */
export function renderSupervisorAlertMail(
  t: TFunction,
  language: string,
  alert: SupervisorAlert,
  consoleBaseUrl: string | undefined,
): Omit<MailMessage, 'to'> {
  const minutes = Math.max(0, Math.round((alert.at.getTime() - Date.parse(alert.urgentSince)) / 60_000));
  const country = alert.country ? countryName(alert.country, language) : t('supervisorAlert.countryUnknown');
  const lines = [
    t('supervisorAlert.intro', { reference: alert.reference }),
    '',
    t('supervisorAlert.country', { country }),
    t('supervisorAlert.waited', { minutes: String(minutes) }),
    '',
    consoleBaseUrl
      ? t('supervisorAlert.open', { url: `${consoleBaseUrl}/staff/cases/${alert.reference}` })
      : t('supervisorAlert.openNoUrl', { reference: alert.reference }),
    '',
    t('supervisorAlert.noPersonalData'),
  ];
  return { subject: t('supervisorAlert.subject', { reference: alert.reference, country }), text: lines.join('\n') };
}

export interface SupervisorAlertMailParts {
  cipher: FieldCipher;
  /** The supervisors' addresses (REPORTLINE_SUPERVISOR_EMAILS). */
  to: readonly string[];
  /** The `delivery` namespace in the deployment's language. */
  t: TFunction;
  language: string;
  /** PUBLIC_BASE_URL: unset, the e-mail names the case without a link. */
  consoleBaseUrl: string | undefined;
}

/**
 * Queues the supervisors' e-mail in the clock step's transaction (REPORTLINE_SUPERVISOR_EMAILS, in
 * REPORTLINE_DUTY_LANGUAGE); the mail outbox worker sends it. One per alert: the key is the case and the moment it
 * was alerted, so a step taken again queues nothing.
 */
export class SupervisorAlertMail {
  readonly #parts: SupervisorAlertMailParts;

  constructor(parts: SupervisorAlertMailParts) {
    this.#parts = parts;
  }

  /** Returns how many e-mails were queued (0 or 1). */
  async queue(trx: Transaction<Database>, alert: SupervisorAlert): Promise<number> {
    if (this.#parts.to.length === 0) return 0;
    const rendered = renderSupervisorAlertMail(this.#parts.t, this.#parts.language, alert, this.#parts.consoleBaseUrl);
    const id = await queueMail(trx, this.#parts.cipher, {
      kind: 'supervisor_alert',
      dedupeKey: `supervisor-alert:${alert.reportId}:${alert.at.toISOString()}`,
      reportId: alert.reportId,
      message: { to: [...this.#parts.to], ...rendered },
      auditDetail: { recipients: this.#parts.to.length },
      queuedBy: 'urgent-clock',
      at: alert.at,
    });
    return id ? 1 : 0;
  }
}
