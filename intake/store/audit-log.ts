import type { Insertable, Kysely, Selectable } from 'kysely';
import type { Database } from './database.js';
import type { AuditEventsTable } from './tables/foundation-tables.js';

export interface AuditEvent {
  seq: number;
  occurredAt: string;
  actor: string;
  action: string;
  reportId: string | null;
  detail: Record<string, unknown>;
}

export interface NewAuditEvent {
  /** Who: `token:<id>`, `user:<id>`, `channel:telegram`, `system`. Never a name or contact. */
  actor: string;
  /** What, as a stable dotted verb: `report.created`, `report.viewed`. */
  action: string;
  reportId?: string | null;
  /** Which fields or states changed; never personal values. */
  detail?: Record<string, unknown>;
  at: Date;
}

/** The row an audit event is stored as, for writers that insert rows in bulk. */
export function auditEventRow(event: NewAuditEvent): Insertable<AuditEventsTable> {
  return {
    occurred_at: event.at.toISOString(),
    actor: event.actor,
    action: event.action,
    report_id: event.reportId ?? null,
    detail: JSON.stringify(event.detail ?? {}),
  };
}

/** Appends to the audit log; pass the transaction that makes the change, so both commit or neither. */
export async function appendAuditEvent(db: Kysely<Database>, event: NewAuditEvent): Promise<void> {
  await db.insertInto('audit_events').values(auditEventRow(event)).execute();
}

export async function listAuditEvents(
  db: Kysely<Database>,
  filter: { reportId?: string; limit?: number } = {},
): Promise<AuditEvent[]> {
  let query = db
    .selectFrom('audit_events')
    .selectAll()
    .orderBy('seq', 'asc')
    .limit(filter.limit ?? 1000);
  if (filter.reportId) query = query.where('report_id', '=', filter.reportId);
  const rows = await query.execute();
  return rows.map(toAuditEvent);
}

function toAuditEvent(row: Selectable<AuditEventsTable>): AuditEvent {
  return {
    seq: Number(row.seq),
    occurredAt: row.occurred_at,
    actor: row.actor,
    action: row.action,
    reportId: row.report_id,
    detail: JSON.parse(row.detail) as Record<string, unknown>,
  };
}

/** The audit log newest first, for an administrator reading it: filtered, a page before a position. */
export async function searchAuditEvents(
  db: Kysely<Database>,
  filter: { reportId?: string; actor?: string; action?: string; beforeSeq?: number; limit: number },
): Promise<AuditEvent[]> {
  let query = db.selectFrom('audit_events').selectAll().orderBy('seq', 'desc').limit(filter.limit);
  if (filter.reportId) query = query.where('report_id', '=', filter.reportId);
  if (filter.actor) query = query.where('actor', '=', filter.actor);
  if (filter.action) query = query.where('action', '=', filter.action);
  if (filter.beforeSeq !== undefined) query = query.where('seq', '<', filter.beforeSeq);
  const rows = await query.execute();
  return rows.map(toAuditEvent);
}

/** An audit event with the reference of the case it concerns, for the audit page. */
export type AuditTrailEntry = AuditEvent & { reference: string | undefined };

/** searchAuditEvents, each event with its case's reference, read in the same query. */
export async function searchAuditTrail(
  db: Kysely<Database>,
  filter: { reportId?: string; actor?: string; action?: string; beforeSeq?: number; limit: number },
): Promise<AuditTrailEntry[]> {
  let query = db
    .selectFrom('audit_events')
    .leftJoin('reports', 'reports.id', 'audit_events.report_id')
    .selectAll('audit_events')
    .select('reports.reference')
    .orderBy('audit_events.seq', 'desc')
    .limit(filter.limit);
  if (filter.reportId) query = query.where('audit_events.report_id', '=', filter.reportId);
  if (filter.actor) query = query.where('audit_events.actor', '=', filter.actor);
  if (filter.action) query = query.where('audit_events.action', '=', filter.action);
  if (filter.beforeSeq !== undefined) query = query.where('audit_events.seq', '<', filter.beforeSeq);
  const rows = await query.execute();
  return rows.map(({ reference, ...row }) => ({ ...toAuditEvent(row), reference: reference ?? undefined }));
}

/** Audit actions that record a look at personal data rather than a change. */
export const viewActions = ['report.viewed', 'evidence.viewed'] as const;

/** A case's history as staff read it: every change, oldest first (looks are summed up by `caseViewers`). */
export async function caseHistory(db: Kysely<Database>, reportId: string, limit = 500): Promise<AuditEvent[]> {
  const rows = await db
    .selectFrom('audit_events')
    .selectAll()
    .where('report_id', '=', reportId)
    .where('action', 'not in', [...viewActions])
    .orderBy('seq', 'desc')
    .limit(limit)
    .execute();
  return rows.map(toAuditEvent).reverse();
}

/** Who has looked at a case's personal data, how often, and when last. */
export async function caseViewers(
  db: Kysely<Database>,
  reportId: string,
): Promise<Array<{ actor: string; views: number; lastAt: string }>> {
  const rows = await db
    .selectFrom('audit_events')
    .select((eb) => ['actor', eb.fn.countAll<number>().as('views'), eb.fn.max('occurred_at').as('lastAt')])
    .where('report_id', '=', reportId)
    .where('action', 'in', [...viewActions])
    .groupBy('actor')
    .orderBy('lastAt', 'desc')
    .execute();
  return rows.map((row) => ({ actor: row.actor, views: Number(row.views), lastAt: String(row.lastAt) }));
}
