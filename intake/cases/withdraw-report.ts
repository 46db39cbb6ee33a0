import { sql } from 'kysely';
import { caseEventTypes } from '../delivery/case-event-types.js';
import type { Channel } from '../report/report-schema.js';
import { outboxRow, type DeliveryMethod } from '../routing/routing-plan.js';
import { appendAuditEvent } from '../store/audit-log.js';
import { dialectKindOf } from '../store/dialect/dialect-kind.js';
import { inCaseTransaction, type CaseDependencies, type CaseTransaction } from './case-transaction.js';
import { CaseError } from './case-error.js';

export interface WithdrawalRequest {
  reportId: string;
  /** Who withdraws, for the audit log: `channel:telegram`, `reporter:web`. Never a name. */
  actor: string;
  /** Where the reporter withdrew it from. */
  channel: Channel;
  /** The message that asked: its redelivery answers as the first time and withdraws nothing twice. */
  idempotency?: { scope: string; key: string };
}

export interface WithdrawalResult {
  /** True when this request (or the first delivery of its message) withdrew the report. */
  withdrawn: boolean;
  /** True when the report had already been withdrawn by an earlier, different request. */
  alreadyWithdrawn: boolean;
}

export interface WithdrawalDependencies extends CaseDependencies {
  /** Told after a commit that queued `case.withdrawn` deliveries, so they go out at once. */
  afterWithdraw?: () => void;
}

const keyOf = (idempotency: WithdrawalRequest['idempotency']) =>
  idempotency ? `${idempotency.scope}:${idempotency.key}` : null;

/**
 * The reporter withdraws a stored report. It is not deleted: the hotline
 * keeps it (a person who withdraws under pressure may be in more danger, and
 * retention is the same as for any report), marked withdrawn by the reporter
 * so staff see it and the queue can set it apart. Every agency the case was
 * routed to is told by a `case.withdrawn` event through the delivery outbox,
 * by each means it was reached by, in the same transaction as the mark and
 * its audit event.
 */
export async function withdrawReport(
  dependencies: WithdrawalDependencies,
  request: WithdrawalRequest,
): Promise<WithdrawalResult> {
  const { result, deliveries } = await inCaseTransaction(dependencies, (trx, at) => withdrawIn(trx, at, request));
  if (deliveries > 0) dependencies.afterWithdraw?.();
  return result;
}

async function withdrawIn(
  trx: CaseTransaction,
  at: Date,
  request: WithdrawalRequest,
): Promise<{ result: WithdrawalResult; deliveries: number }> {
  const { reportId } = request;
  // PostgreSQL: hold the report row, so a withdrawal and an amendment of one report take turns.
  const report = await trx
    .selectFrom('reports')
    .select(['urgent', 'withdrawn_at', 'withdrawal_key'])
    .where('id', '=', reportId)
    .$if(dialectKindOf(trx) === 'postgres', (query) => query.forUpdate())
    .executeTakeFirst();
  if (!report) throw new CaseError('case.not_found', 'no such report');
  const key = keyOf(request.idempotency);
  if (report.withdrawn_at !== null) {
    // The same message delivered again is answered as the first time; another request learns it was done before.
    const replay = key !== null && report.withdrawal_key === key;
    return { result: { withdrawn: replay, alreadyWithdrawn: !replay }, deliveries: 0 };
  }
  const timestamp = at.toISOString();
  await trx
    .updateTable('reports')
    .set({ withdrawn_at: timestamp, withdrawn_channel: request.channel, withdrawal_key: key, updated_at: timestamp })
    .where('id', '=', reportId)
    .execute();

  // Each agency on the case, by each means a delivery of the case was (or is about to be) made to it.
  const reached = await trx
    .selectFrom('deliveries')
    .innerJoin('report_agencies', (join) =>
      join
        .onRef('report_agencies.report_id', '=', 'deliveries.report_id')
        .onRef('report_agencies.agency_id', '=', 'deliveries.agency_id'),
    )
    .select(['deliveries.agency_id', 'deliveries.method'])
    .distinct()
    .where('deliveries.report_id', '=', reportId)
    .where('deliveries.status', '!=', 'cancelled')
    .orderBy('deliveries.agency_id')
    .orderBy('deliveries.method')
    .execute();
  const version = await trx
    .selectFrom('report_versions')
    .select(sql<number | string | null>`max(version)`.as('version'))
    .where('report_id', '=', reportId)
    .executeTakeFirst();
  const rows = reached.map((row) =>
    outboxRow(
      reportId,
      { agencyId: row.agency_id, method: row.method as DeliveryMethod },
      report.urgent === 1,
      timestamp,
    ),
  );
  if (rows.length > 0) {
    await trx.insertInto('deliveries').values(rows).execute();
    await trx
      .insertInto('delivery_events')
      .values(
        rows.map((row) => ({
          delivery_id: row.id,
          event_type: caseEventTypes.withdrawn,
          report_version: Number(version?.version ?? 0),
        })),
      )
      .execute();
  }
  await appendAuditEvent(trx, {
    actor: request.actor,
    action: 'report.withdrawn',
    reportId,
    at,
    detail: {
      channel: request.channel,
      agencies: [...new Set(reached.map((row) => row.agency_id))],
      deliveries: rows.length,
    },
  });
  return { result: { withdrawn: true, alreadyWithdrawn: false }, deliveries: rows.length };
}
