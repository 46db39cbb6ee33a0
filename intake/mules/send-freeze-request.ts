import type { i18n } from 'i18next';
import type { Kysely } from 'kysely';
import type { Transporter } from 'nodemailer';
import type { Clock } from '../clock.js';
import type { FieldCipher } from '../crypto/field-cipher.js';
import { sendEmail } from '../delivery/delivery-senders.js';
import { appendAuditEvent } from '../store/audit-log.js';
import type { Database } from '../store/database.js';
import { fraudDeskFor, type FraudDesk } from './fraud-desks.js';
import { FreezeRequestError } from './freeze-request-error.js';
import { renderFreezeRequestEmail } from './freeze-request-email.js';
import { getFreezeRequest } from './freeze-requests.js';

export interface SendFreezeRequestDependencies {
  db: Kysely<Database>;
  cipher: FieldCipher;
  now: Clock;
  desks: readonly FraudDesk[];
  i18n: i18n;
  /** Unset: nothing can be sent, and staff are told so. */
  mail?: { transport: Transporter; from: string };
  /** How long one sender holds a request; after a crash mid-send it can be sent again once this passes. */
  leaseMs?: number;
}

/**
 * Sends a freeze request to the fraud desk of the account's bank, by e-mail as agencies' cases are sent, and
 * records it with its audit event in one transaction. The request is claimed first (a short lease, only while not
 * sent), so two members of staff pressing at once send it once; a sent request is never sent again. The mail's
 * Message-ID is the request's id, so a desk's mail system recognises a repeat after a crash between the send and
 * its record.
 */
export async function sendFreezeRequest(
  deps: SendFreezeRequestDependencies,
  request: { id: string; actor: string },
): Promise<{ sentTo: string }> {
  const at = deps.now();
  const claimed = await deps.db
    .updateTable('freeze_requests')
    .set({ send_lease_until: new Date(at.getTime() + (deps.leaseMs ?? 60_000)).toISOString() })
    .where('id', '=', request.id)
    .where('sent_at', 'is', null)
    .where((eb) => eb.or([eb('send_lease_until', 'is', null), eb('send_lease_until', '<', at.toISOString())]))
    .returning('id')
    .executeTakeFirst();
  const view = await getFreezeRequest(deps, request.id, at);
  if (!view) throw new FreezeRequestError('freeze_request.not_found');
  if (!claimed) throw new FreezeRequestError(view.sentAt ? 'freeze_request.already_sent' : 'freeze_request.being_sent');
  const release = () =>
    deps.db.updateTable('freeze_requests').set({ send_lease_until: null }).where('id', '=', request.id).execute();

  const desk = fraudDeskFor(deps.desks, view.bank);
  if (!desk) {
    await release();
    throw new FreezeRequestError('freeze_request.no_fraud_desk');
  }
  if (!deps.mail) {
    await release();
    throw new FreezeRequestError('freeze_request.mail_not_configured');
  }
  const t = deps.i18n.getFixedT(desk.language ?? 'en', 'delivery');
  const { subject, text } = renderFreezeRequestEmail(t, view, desk);
  try {
    await sendEmail(deps.mail.transport, desk.email, { from: deps.mail.from, subject, text, eventId: view.id });
  } catch {
    // The reason is recorded under one code (the SMTP answer may quote the address); staff can press again.
    const failedAt = deps.now();
    await deps.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('freeze_requests')
        .set({ send_lease_until: null, last_error: 'freeze_request.smtp_failed' })
        .where('id', '=', request.id)
        .execute();
      await appendAuditEvent(trx, {
        actor: request.actor,
        action: 'freeze_request.send_failed',
        reportId: view.reportId,
        at: failedAt,
        detail: { freezeRequest: view.id, desk: desk.id, code: 'freeze_request.smtp_failed' },
      });
    });
    throw new FreezeRequestError('freeze_request.send_failed');
  }
  const sentAt = deps.now();
  await deps.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('freeze_requests')
      .set({
        sent_at: sentAt.toISOString(),
        sent_by: request.actor,
        sent_to: desk.id,
        send_lease_until: null,
        last_error: null,
      })
      .where('id', '=', request.id)
      .execute();
    await appendAuditEvent(trx, {
      actor: request.actor,
      action: 'freeze_request.sent',
      reportId: view.reportId,
      at: sentAt,
      detail: { freezeRequest: view.id, desk: desk.id, accountKind: view.accountKind },
    });
  });
  return { sentTo: desk.id };
}
