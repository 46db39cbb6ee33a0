import type { Transaction } from 'kysely';
import type { Database } from '../store/database.js';

/** The e-mails of the mail outbox. Agencies' e-mails are deliveries (intake/delivery), not these. */
export const mailKinds = ['supervisor_alert', 'freeze_request'] as const;
export type MailKind = (typeof mailKinds)[number];

export interface SettledMail {
  id: string;
  freezeRequestId: string | null;
  queuedBy: string;
  auditDetail: Record<string, unknown>;
}

/** What sending each kind records: its audit actions, and what else it settles, in the same transaction. */
export interface MailKindSettlement {
  sentAction: string;
  failedAction: string;
  /** The actor of the audit events: who made it be sent. */
  actorOf(mail: SettledMail): string;
  onSent?(trx: Transaction<Database>, mail: SettledMail, at: Date): Promise<void>;
  onGivenUp?(trx: Transaction<Database>, mail: SettledMail, code: string): Promise<void>;
}

export const mailKindSettlements: Record<MailKind, MailKindSettlement> = {
  supervisor_alert: {
    sentAction: 'urgent.supervisor_mail_sent',
    failedAction: 'urgent.supervisor_mail_failed',
    actorOf: () => 'mail-outbox',
  },
  freeze_request: {
    sentAction: 'freeze_request.sent',
    failedAction: 'freeze_request.send_failed',
    // The person who pressed Send sent it, as before the outbox: the audit log names them.
    actorOf: (mail) => mail.queuedBy,
    // The request is sent once its e-mail is: the list and the case page read these columns.
    onSent: async (trx, mail, at) => {
      if (!mail.freezeRequestId) return;
      await trx
        .updateTable('freeze_requests')
        .set({
          sent_at: at.toISOString(),
          sent_by: mail.queuedBy,
          sent_to: typeof mail.auditDetail.desk === 'string' ? mail.auditDetail.desk : null,
          sent_via: 'email',
          last_error: null,
        })
        .where('id', '=', mail.freezeRequestId)
        .execute();
    },
    onGivenUp: async (trx, mail, code) => {
      if (!mail.freezeRequestId) return;
      await trx
        .updateTable('freeze_requests')
        .set({ last_error: code })
        .where('id', '=', mail.freezeRequestId)
        .execute();
    },
  },
};

export function isMailKind(value: string): value is MailKind {
  return (mailKinds as readonly string[]).includes(value);
}
