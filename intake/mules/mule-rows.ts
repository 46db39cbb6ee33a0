import type { Insertable, Kysely } from 'kysely';
import type { FieldCipher } from '../crypto/field-cipher.js';
import type { ReportContent } from '../report/report-schema.js';
import { auditEventRow } from '../store/audit-log.js';
import type { Database } from '../store/database.js';
import { indicatorBlindIndex } from '../store/report-store.js';
import type { AccountPaymentsTable, FreezeRequestsTable } from '../store/tables/mule-tables.js';
import type { AuditEventsTable } from '../store/tables/foundation-tables.js';
import { newTimeOrderedId } from '../store/time-ordered-id.js';
import { paidRecently, type FreezeRequestSettings } from './freeze-request-settings.js';
import { accountHolder, paymentsToAccounts } from './payment-accounts.js';

/** What a freeze request says about the account and the payment, encrypted: the bank needs it, nobody else. */
export interface FreezeNote {
  account: { kind: string; value: string; original: string };
  /** The transaction references (hashes, bank references) of the recent payments. */
  references: string[];
  /** The bank or e-wallet the reporter paid from, as they wrote it. */
  fromInstitution?: string;
  method?: string;
}

export const freezeNoteContext = (id: string) => `freeze-request:${id}:note`;

export interface MuleRows {
  account_payments: Array<Insertable<AccountPaymentsTable>>;
  freeze_requests: Array<Insertable<FreezeRequestsTable>>;
  audit_events: Array<Insertable<AuditEventsTable>>;
}

/**
 * The rows a report's payments make: one per payment to an account (counted and summed by the account's blind
 * index), and one freeze request per account paid recently, due `hours` later. `except`: accounts that already
 * have a request for this report (an amendment adds none twice).
 */
export function muleRows(
  cipher: FieldCipher,
  reportId: string,
  content: ReportContent,
  options: { at: Date; settings: FreezeRequestSettings; actor: string; except?: ReadonlySet<string> },
): MuleRows {
  const timestamp = options.at.toISOString();
  const paid = paymentsToAccounts(content).map((entry) => ({
    ...entry,
    hash: indicatorBlindIndex(cipher, entry.account.kind, entry.account.value),
  }));
  const accountPayments = paid.map(({ index, payment, account, hash }) => ({
    report_id: reportId,
    payment_index: index,
    account_kind: account.kind,
    account_hash: hash,
    amount: payment.amount,
    currency: payment.currency,
    paid_on: payment.date ?? null,
    created_at: timestamp,
  }));
  const recent = new Map<string, typeof paid>();
  for (const entry of paid) {
    if (!paidRecently(entry.payment.date, options.at, options.settings) || options.except?.has(entry.hash)) continue;
    recent.set(entry.hash, [...(recent.get(entry.hash) ?? []), entry]);
  }
  const dueAt = new Date(options.at.getTime() + options.settings.hours * 60 * 60_000).toISOString();
  const freezeRequests = [...recent.values()].map((entries) => {
    // The latest payment decides the currency; the recent payments in it are added up.
    const latest = entries.reduce((a, b) => ((b.payment.date ?? '') > (a.payment.date ?? '') ? b : a));
    const same = entries.filter((entry) => entry.payment.currency === latest.payment.currency);
    const id = newTimeOrderedId();
    const note: FreezeNote = {
      account: { kind: latest.account.kind, value: latest.account.value, original: latest.account.original },
      references: [
        ...new Set(same.flatMap((entry) => (entry.payment.transactionHash ? [entry.payment.transactionHash] : []))),
      ],
      ...(latest.payment.fromInstitution ? { fromInstitution: latest.payment.fromInstitution } : {}),
      ...(latest.payment.method ? { method: latest.payment.method } : {}),
    };
    return {
      id,
      report_id: reportId,
      account_kind: latest.account.kind,
      account_hash: latest.hash,
      bank: accountHolder(latest.account),
      paid_on: latest.payment.date!,
      amount: same.reduce((sum, entry) => sum + entry.payment.amount, 0),
      currency: latest.payment.currency,
      note_enc: cipher.encryptJson(note, freezeNoteContext(id)),
      created_at: timestamp,
      due_at: dueAt,
      sent_at: null,
      sent_by: null,
      sent_to: null,
      sent_via: null,
      last_error: null,
    };
  });
  const audit = freezeRequests.map((request) =>
    auditEventRow({
      actor: options.actor,
      action: 'freeze_request.created',
      reportId,
      at: options.at,
      detail: { freezeRequest: request.id, accountKind: request.account_kind },
    }),
  );
  return { account_payments: accountPayments, freeze_requests: freezeRequests, audit_events: audit };
}

/**
 * After an amendment, in its transaction: the report's payments as they are now, and a freeze request for each
 * account newly paid recently. An account that has one for this report gets none again, whatever was amended.
 */
export async function replaceMuleRows(
  trx: Kysely<Database>,
  cipher: FieldCipher,
  reportId: string,
  content: ReportContent,
  options: { at: Date; settings: FreezeRequestSettings; actor: string },
): Promise<void> {
  const existing = await trx
    .selectFrom('freeze_requests')
    .select('account_hash')
    .where('report_id', '=', reportId)
    .execute();
  const rows = muleRows(cipher, reportId, content, {
    ...options,
    except: new Set(existing.map((row) => row.account_hash)),
  });
  await trx.deleteFrom('account_payments').where('report_id', '=', reportId).execute();
  if (rows.account_payments.length > 0)
    await trx.insertInto('account_payments').values(rows.account_payments).execute();
  if (rows.freeze_requests.length > 0) await trx.insertInto('freeze_requests').values(rows.freeze_requests).execute();
  if (rows.audit_events.length > 0) await trx.insertInto('audit_events').values(rows.audit_events).execute();
}
