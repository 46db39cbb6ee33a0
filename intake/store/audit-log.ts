import type { Insertable, Kysely } from 'kysely';
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

export async function listAuditEvents(db: Kysely<Database>, filter: { reportId?: string; limit?: number } = {}): Promise<AuditEvent[]> {
  let query = db.selectFrom('audit_events').selectAll().orderBy('seq', 'asc').limit(filter.limit ?? 1000);
  if (filter.reportId) query = query.where('report_id', '=', filter.reportId);
  const rows = await query.execute();
  return rows.map((row) => ({
    seq: Number(row.seq),
    occurredAt: row.occurred_at,
    actor: row.actor,
    action: row.action,
    reportId: row.report_id,
    detail: JSON.parse(row.detail) as Record<string, unknown>,
  }));
}
