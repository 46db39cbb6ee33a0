import type { Transaction } from 'kysely';
import type { FieldCipher } from '../crypto/field-cipher.js';
import type { Database } from '../store/database.js';
import { newTimeOrderedId } from '../store/time-ordered-id.js';
import type { MailKind } from './mail-kinds.js';

/** An e-mail as it is sent: rendered when it is queued, in the language its readers were given. */
export interface MailMessage {
  to: string[];
  subject: string;
  text: string;
}

export interface MailToQueue {
  kind: MailKind;
  /** The same key queues nothing a second time (a redelivered press, a step taken again). */
  dedupeKey: string;
  reportId: string;
  freezeRequestId?: string;
  message: MailMessage;
  /** Identifiers only, for the audit events of its sending. */
  auditDetail: Record<string, unknown>;
  queuedBy: string;
  at: Date;
}

export const mailMessageContext = (id: string) => `mail:${id}:message`;

/**
 * Queues an e-mail in the caller's transaction, so it is sent exactly when
 * what decided it (a clock's step, a press of Send) commits, with its audit
 * event; the mail outbox worker sends it. Returns the row's id, or undefined
 * when an e-mail of the same key was queued before (nothing is queued again).
 */
export async function queueMail(
  trx: Transaction<Database>,
  cipher: FieldCipher,
  mail: MailToQueue,
): Promise<string | undefined> {
  const id = newTimeOrderedId(mail.at.getTime());
  const timestamp = mail.at.toISOString();
  const inserted = await trx
    .insertInto('mail_outbox')
    .values({
      id,
      kind: mail.kind,
      dedupe_key: mail.dedupeKey,
      report_id: mail.reportId,
      freeze_request_id: mail.freezeRequestId ?? null,
      message_enc: cipher.encryptJson(mail.message, mailMessageContext(id)),
      audit_detail: JSON.stringify(mail.auditDetail),
      queued_by: mail.queuedBy,
      status: 'pending',
      next_attempt_at: timestamp,
      created_at: timestamp,
    })
    .onConflict((conflict) => conflict.column('dedupe_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted?.id;
}

/**
 * Puts an e-mail that was given up back in the queue, with its message rendered again (a desk's address may have
 * been corrected since) and its tries counted from zero. Only a failed e-mail: a pending one is on its way, a sent
 * one is never sent again. Returns whether it was requeued.
 */
export async function requeueFailedMail(
  trx: Transaction<Database>,
  cipher: FieldCipher,
  mail: { id: string; message: MailMessage; queuedBy: string; auditDetail: Record<string, unknown>; at: Date },
): Promise<boolean> {
  const updated = await trx
    .updateTable('mail_outbox')
    .set({
      status: 'pending',
      attempts: 0,
      next_attempt_at: mail.at.toISOString(),
      lease_until: null,
      last_error: null,
      message_enc: cipher.encryptJson(mail.message, mailMessageContext(mail.id)),
      audit_detail: JSON.stringify(mail.auditDetail),
      queued_by: mail.queuedBy,
    })
    .where('id', '=', mail.id)
    .where('status', '=', 'failed')
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) > 0;
}
