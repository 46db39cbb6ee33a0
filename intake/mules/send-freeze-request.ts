import type { i18n } from 'i18next';
import type { Kysely } from 'kysely';
import type { Clock } from '../clock.js';
import type { FieldCipher } from '../crypto/field-cipher.js';
import { queueMail, requeueFailedMail } from '../mail/mail-outbox.js';
import { appendAuditEvent } from '../store/audit-log.js';
import type { Database } from '../store/database.js';
import { fraudDeskFor, type FraudDesk } from './fraud-desks.js';
import { FreezeRequestError } from './freeze-request-error.js';
import { renderFreezeRequestEmail } from './freeze-request-email.js';
import { getFreezeRequest } from './freeze-requests.js';
import { holdUnsentFreezeRequest } from './hold-unsent-freeze-request.js';

export interface SendFreezeRequestDependencies {
  db: Kysely<Database>;
  cipher: FieldCipher;
  now: Clock;
  desks: readonly FraudDesk[];
  i18n: i18n;
  /** Whether SMTP_URL is set: unset, nothing could ever be sent, so nothing is queued and staff are told so. */
  mailConfigured: boolean;
  /** Told after a press queued an e-mail: the mail outbox worker sends it at once. */
  mailQueued?: () => void;
}

/**
 * "Send to <desk>": queues the freeze request's e-mail to the bank's fraud desk in the mail outbox, in the
 * transaction that records the press with its audit event (`freeze_request.queued`); the mail outbox worker sends
 * it, retrying, and records it sent (`freeze_request.sent`) or given up (`freeze_request.send_failed`). A double
 * press or a form posted again queues nothing more: the request's e-mail has one outbox row (its key is the
 * request), held while the press is recorded. A press on a request whose e-mail was given up queues it again.
 */
export async function sendFreezeRequest(
  deps: SendFreezeRequestDependencies,
  request: { id: string; actor: string },
): Promise<{ sentTo: string; outcome: 'queued' | 'queued_again' }> {
  const at = deps.now();
  const view = await getFreezeRequest(deps, request.id, at);
  if (!view) throw new FreezeRequestError('freeze_request.not_found');
  const desk = fraudDeskFor(deps.desks, view.bank);
  if (!desk) throw new FreezeRequestError('freeze_request.no_fraud_desk');
  if (!deps.mailConfigured) throw new FreezeRequestError('freeze_request.mail_not_configured');
  const t = deps.i18n.getFixedT(desk.language ?? 'en', 'delivery');
  const message = { to: [...desk.email.to], ...renderFreezeRequestEmail(t, view, desk) };
  const auditDetail = { freezeRequest: view.id, desk: desk.id, accountKind: view.accountKind };

  const outcome = await deps.db.transaction().execute(async (trx) => {
    await holdUnsentFreezeRequest(trx, view.id);
    const existing = await trx
      .selectFrom('mail_outbox')
      .select(['id', 'status'])
      .where('dedupe_key', '=', freezeRequestMailKey(view.id))
      .executeTakeFirst();
    const queueNew = async () => {
      const id = await queueMail(trx, deps.cipher, {
        kind: 'freeze_request',
        dedupeKey: freezeRequestMailKey(view.id),
        reportId: view.reportId,
        freezeRequestId: view.id,
        message,
        auditDetail,
        queuedBy: request.actor,
        at,
      });
      if (!id) throw new FreezeRequestError('freeze_request.already_queued');
    };
    let queued: 'queued' | 'queued_again';
    if (!existing) {
      await queueNew();
      queued = 'queued';
    } else if (existing.status === 'failed') {
      // Retention may delete a given-up e-mail between the read and the update: then it is queued anew.
      const requeued = await requeueFailedMail(trx, deps.cipher, {
        id: existing.id,
        message,
        auditDetail,
        queuedBy: request.actor,
        at,
      });
      if (!requeued) await queueNew();
      queued = 'queued_again';
    } else if (existing.status === 'sent') throw new FreezeRequestError('freeze_request.already_sent');
    else throw new FreezeRequestError('freeze_request.already_queued');
    await appendAuditEvent(trx, {
      actor: request.actor,
      action: 'freeze_request.queued',
      reportId: view.reportId,
      at,
      detail: { ...auditDetail, again: queued === 'queued_again' },
    });
    return queued;
  });
  deps.mailQueued?.();
  return { sentTo: desk.id, outcome };
}

/** One e-mail per freeze request: pressing again while it is queued, or once it is sent, queues nothing. */
export const freezeRequestMailKey = (freezeRequestId: string) => `freeze-request:${freezeRequestId}`;
