import type { i18n } from 'i18next';
import type { Transporter } from 'nodemailer';
import { buildCaseDocument, type CaseDocument, type CaseDocumentSources } from './case-document.js';
import { renderCaseEmail } from './case-email.js';
import { caseEventTypes, type CaseEventType } from './case-event-types.js';
import type { DeliverySender } from './delivery-dispatcher.js';
import { DeliveryError, sendEmail, sendWebhook, type EmailTarget, type WebhookTarget } from './delivery-senders.js';

export { caseEventTypes, type CaseEventType } from './case-event-types.js';

/** The webhook payload (Standard Webhooks' recommended shape): what happened, when, and the case. */
export interface CaseEvent {
  type: CaseEventType;
  /**
   * When the event happened (the case was routed to the agency, or amended), the same on every retry; not when this try
   * was sent.
   */
  timestamp: string;
  data: CaseDocument;
}

/** Where each agency wants its cases; built from the agency directory and the environment. */
export interface DeliveryTargets {
  webhook(agencyId: string): WebhookTarget | undefined;
  email(agencyId: string): EmailTarget | undefined;
  /** The language an agency's e-mails are written in. */
  language(agencyId: string): string;
}

export interface AgencyDeliveryOptions {
  sources: CaseDocumentSources;
  targets: DeliveryTargets;
  i18n: i18n;
  /** Unset: e-mail deliveries fail with a clear reason and are shown to staff. */
  mail?: { transport: Transporter; from: string };
  /** The portal's public address, for the link to a case in the agency inbox. */
  publicBaseUrl?: string;
}

/** A delivery without a recorded event is the case's routing to the agency: urgent or not, as the case is when sent. */
function eventTypeOf(recorded: CaseEventType | null, document: CaseDocument): CaseEventType {
  return recorded ?? (document.urgent ? caseEventTypes.urgent : caseEventTypes.routed);
}

/** Sends a delivery by the agency's chosen means: a Standard Webhooks event or an e-mail. */
export function createAgencyDeliverySender(options: AgencyDeliveryOptions): DeliverySender {
  return async (delivery, now) => {
    const document = await buildCaseDocument(options.sources, delivery.reportId, delivery.agencyId);
    if (!document) throw new DeliveryError('the case is no longer routed to this agency', false);
    const sentAs = eventTypeOf(delivery.event, document);
    if (delivery.method === 'webhook') {
      const target = options.targets.webhook(delivery.agencyId);
      if (!target) throw new DeliveryError('no webhook is configured for this agency', false);
      const event: CaseEvent = { type: sentAs, timestamp: delivery.createdAt, data: document };
      await sendWebhook(target, delivery.id, JSON.stringify(event), { now });
      return { sentAs };
    }
    const target = options.targets.email(delivery.agencyId);
    if (!target || target.to.length === 0)
      throw new DeliveryError('no e-mail address is configured for this agency', false);
    if (!options.mail) throw new DeliveryError('SMTP is not configured (SMTP_URL)', false);
    const t = options.i18n.getFixedT(options.targets.language(delivery.agencyId), 'delivery');
    const inboxUrl = options.publicBaseUrl ? `${options.publicBaseUrl}/agency/cases/${document.reference}` : undefined;
    const { subject, text } = renderCaseEmail(t, document, { inboxUrl, event: sentAs });
    await sendEmail(options.mail.transport, target, { from: options.mail.from, subject, text, eventId: delivery.id });
    return { sentAs };
  };
}
