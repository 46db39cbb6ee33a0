import type { Kysely, Selectable } from 'kysely';
import type { FieldCipher } from '../crypto/field-cipher.js';
import type { Database } from '../store/database.js';
import type { FreezeRequestsTable } from '../store/tables/mule-tables.js';
import { accountCountry } from './account-country.js';
import { fraudDeskFor, type FraudDesk } from './fraud-desks.js';
import { freezeNoteContext, type FreezeNote } from './mule-rows.js';
import { freezeChannelById, freezeChannelFor, type NationalFreezeChannel } from './national-freeze-channels.js';

/** A freeze request as staff read it: the account, the bank, the payment, the clock and where it was sent. */
export interface FreezeRequestView {
  id: string;
  reportId: string;
  reference: string;
  accountKind: string;
  /** The account as the reporter wrote it, and normalized. */
  account: { value: string; original: string };
  bank: string | null;
  /** The directory's desk for that bank, if it has one. */
  desk: { id: string; name: string } | null;
  /**
   * Without a desk, the national anti-scam centre that has accounts of the account's country frozen, to call or
   * write to now (national-freeze-channels.ts); null when a desk handles the bank or no channel is known.
   */
  channel: FreezeChannelView | null;
  amount: number;
  currency: string;
  paidOn: string;
  references: string[];
  createdAt: string;
  dueAt: string;
  /** Milliseconds until due (negative once overdue); null once sent. */
  msLeft: number | null;
  sentAt: string | null;
  sentTo: string | null;
  /** `email`, or `phone`/`form` when staff recorded asking a national channel; null for an e-mail before 0034. */
  sentVia: 'email' | 'phone' | 'form' | null;
  /** The national channel it was asked of, by phone or form. */
  sentToChannel: FreezeChannelView | null;
  lastError: string | null;
  /**
   * Its e-mail in the mail outbox once Send was pressed: `pending` (queued, being tried), `sent`, or `failed` (given
   * up, with the last failure's code; Send queues it again).
   */
  mail: { status: 'pending' | 'sent' | 'failed'; attempts: number; lastError: string | null } | null;
}

export type FreezeChannelView = Pick<
  NationalFreezeChannel,
  'id' | 'name' | 'phone' | 'allHours' | 'form' | 'noteKey'
> & {
  sources: readonly string[];
};

function channelView(channel: NationalFreezeChannel | undefined): FreezeChannelView | null {
  return channel ? { ...channel } : null;
}

const sentVias = ['email', 'phone', 'form'] as const;

type Row = Selectable<FreezeRequestsTable> & {
  reference: string;
  mail_status: string | null;
  mail_attempts: number | null;
  mail_last_error: string | null;
};

const mailStatuses = ['pending', 'sent', 'failed'] as const;

function mailOf(row: Row): FreezeRequestView['mail'] {
  const status = mailStatuses.find((known) => known === row.mail_status);
  return status ? { status, attempts: Number(row.mail_attempts ?? 0), lastError: row.mail_last_error } : null;
}

function viewOf(row: Row, cipher: FieldCipher, desks: readonly FraudDesk[], now: Date): FreezeRequestView {
  const note = cipher.decryptJson<FreezeNote>(row.note_enc, freezeNoteContext(row.id));
  const desk = fraudDeskFor(desks, row.bank);
  // A deployment's own desk for the bank wins over a shipped national channel.
  const channel = desk ? undefined : freezeChannelFor(accountCountry(note.account, row.bank));
  const sentVia = sentVias.find((via) => via === row.sent_via) ?? null;
  return {
    id: row.id,
    reportId: row.report_id,
    reference: row.reference,
    accountKind: row.account_kind,
    account: { value: note.account.value, original: note.account.original },
    bank: row.bank,
    desk: desk ? { id: desk.id, name: desk.name } : null,
    channel: channelView(channel),
    amount: row.amount,
    currency: row.currency,
    paidOn: row.paid_on,
    references: note.references,
    createdAt: row.created_at,
    dueAt: row.due_at,
    msLeft: row.sent_at ? null : Date.parse(row.due_at) - now.getTime(),
    sentAt: row.sent_at,
    sentTo: row.sent_to,
    sentVia,
    sentToChannel: sentVia === 'phone' || sentVia === 'form' ? channelView(freezeChannelById(row.sent_to)) : null,
    lastError: row.last_error,
    mail: mailOf(row),
  };
}

export interface FreezeRequestReads {
  db: Kysely<Database>;
  cipher: FieldCipher;
  desks: readonly FraudDesk[];
}

function selectRequests(db: Kysely<Database>) {
  return db
    .selectFrom('freeze_requests')
    .innerJoin('reports', 'reports.id', 'freeze_requests.report_id')
    .leftJoin('mail_outbox', 'mail_outbox.freeze_request_id', 'freeze_requests.id')
    .selectAll('freeze_requests')
    .select([
      'reports.reference',
      'mail_outbox.status as mail_status',
      'mail_outbox.attempts as mail_attempts',
      'mail_outbox.last_error as mail_last_error',
    ]);
}

/**
 * The freeze requests staff work off: those not sent yet, the most pressing (overdue) first, then the latest sent.
 * Only these rows' notes are decrypted.
 */
export async function listFreezeRequests(
  reads: FreezeRequestReads,
  now: Date,
  options: { sentLimit?: number } = {},
): Promise<{ open: FreezeRequestView[]; sent: FreezeRequestView[] }> {
  const [open, sent] = await Promise.all([
    selectRequests(reads.db)
      .where('freeze_requests.sent_at', 'is', null)
      .orderBy('freeze_requests.due_at')
      .orderBy('freeze_requests.id')
      .limit(500)
      .execute(),
    selectRequests(reads.db)
      .where('freeze_requests.sent_at', 'is not', null)
      .orderBy('freeze_requests.sent_at', 'desc')
      .limit(options.sentLimit ?? 50)
      .execute(),
  ]);
  return {
    open: open.map((row) => viewOf(row, reads.cipher, reads.desks, now)),
    sent: sent.map((row) => viewOf(row, reads.cipher, reads.desks, now)),
  };
}

/** One case's freeze requests, for its page. */
export async function freezeRequestsOfReport(
  reads: FreezeRequestReads,
  reportId: string,
  now: Date,
): Promise<FreezeRequestView[]> {
  const rows = await selectRequests(reads.db)
    .where('freeze_requests.report_id', '=', reportId)
    .orderBy('freeze_requests.id')
    .execute();
  return rows.map((row) => viewOf(row, reads.cipher, reads.desks, now));
}

export async function getFreezeRequest(
  reads: FreezeRequestReads,
  id: string,
  now: Date,
): Promise<FreezeRequestView | undefined> {
  const row = await selectRequests(reads.db).where('freeze_requests.id', '=', id).executeTakeFirst();
  return row ? viewOf(row, reads.cipher, reads.desks, now) : undefined;
}
