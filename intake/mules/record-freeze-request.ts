import type { Kysely } from 'kysely';
import type { Clock } from '../clock.js';
import type { FieldCipher } from '../crypto/field-cipher.js';
import { appendAuditEvent } from '../store/audit-log.js';
import type { Database } from '../store/database.js';
import type { FraudDesk } from './fraud-desks.js';
import { FreezeRequestError } from './freeze-request-error.js';
import { getFreezeRequest } from './freeze-requests.js';
import { holdUnsentFreezeRequest } from './hold-unsent-freeze-request.js';

export interface RecordFreezeRequestDependencies {
  db: Kysely<Database>;
  cipher: FieldCipher;
  now: Clock;
  desks: readonly FraudDesk[];
}

/**
 * "I requested it by phone" / "… on the web form": staff called a national anti-scam centre, or filled in its form
 * (national-freeze-channels.ts), for an account no fraud desk of the deployment handles, and say so. In one
 * transaction the request is marked asked (its clock stops, `sent_via` says how, `sent_to` names the channel) with
 * the audit event `freeze_request.requested`, which keeps how its clock stood (due at, late or not). Only by a way
 * the channel offers; a request already sent or queued, or one a desk handles (Send e-mails it), is refused. Two
 * presses at once take turns on the request's row: the second finds it asked.
 */
export async function recordFreezeRequest(
  deps: RecordFreezeRequestDependencies,
  request: { id: string; actor: string; via: 'phone' | 'form' },
): Promise<{ channel: string }> {
  const at = deps.now();
  const view = await getFreezeRequest(deps, request.id, at);
  if (!view) throw new FreezeRequestError('freeze_request.not_found');
  const channel = view.channel;
  if (!channel || (request.via === 'phone' ? !channel.phone : !channel.form))
    throw new FreezeRequestError('freeze_request.no_freeze_channel');
  await deps.db.transaction().execute(async (trx) => {
    const { dueAt } = await holdUnsentFreezeRequest(trx, view.id);
    const mail = await trx
      .selectFrom('mail_outbox')
      .select('status')
      .where('freeze_request_id', '=', view.id)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    if (mail) throw new FreezeRequestError('freeze_request.already_queued');
    const timestamp = at.toISOString();
    await trx
      .updateTable('freeze_requests')
      .set({ sent_at: timestamp, sent_by: request.actor, sent_to: channel.id, sent_via: request.via, last_error: null })
      .where('id', '=', view.id)
      .execute();
    await appendAuditEvent(trx, {
      actor: request.actor,
      action: 'freeze_request.requested',
      reportId: view.reportId,
      at,
      detail: {
        freezeRequest: view.id,
        channel: channel.id,
        via: request.via,
        accountKind: view.accountKind,
        dueAt,
        lateSeconds: Math.max(0, Math.round((at.getTime() - Date.parse(dueAt)) / 1000)),
      },
    });
  });
  return { channel: channel.id };
}
