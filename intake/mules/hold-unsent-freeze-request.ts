import type { Transaction } from 'kysely';
import type { Database } from '../store/database.js';
import { dialectKindOf } from '../store/dialect/dialect-kind.js';
import { FreezeRequestError } from './freeze-request-error.js';

/**
 * A freeze request's row, held for the rest of the transaction: two presses at once (Send, or "requested by
 * phone / on the web form", on one instance or two) take turns on it (SQLite's writer lock does the same), and
 * the second finds what the first did. Refused when the request is gone or was already sent or requested.
 */
export async function holdUnsentFreezeRequest(trx: Transaction<Database>, id: string): Promise<{ dueAt: string }> {
  const held = await trx
    .selectFrom('freeze_requests')
    .select(['sent_at', 'due_at'])
    .where('id', '=', id)
    .$if(dialectKindOf(trx) === 'postgres', (query) => query.forUpdate())
    .executeTakeFirst();
  if (!held) throw new FreezeRequestError('freeze_request.not_found');
  if (held.sent_at) throw new FreezeRequestError('freeze_request.already_sent');
  return { dueAt: held.due_at };
}
