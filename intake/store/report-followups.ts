import type { Channel, ReportStatus } from '../report/report-schema.js';
import { evidenceSchema } from '../report/report-schema.js';
import type { z } from 'zod';
import { appendAuditEvent } from './audit-log.js';
import { StoreBase } from './store-base.js';

export type Evidence = z.output<typeof evidenceSchema>;

export interface ReportAddition {
  text?: string;
  evidence: Evidence[];
  channel: Channel;
  createdAt: string;
}

export interface ReporterMessage {
  body: string;
  createdAt: string;
}

export interface ReportStatusView {
  reference: string;
  status: ReportStatus;
  updatedAt: string;
}

export class EmptyAdditionError extends Error {
  readonly code = 'report.addition_empty';
}

const additionContext = (reportId: string) => `report:${reportId}:addition`;
const messageContext = (reportId: string) => `report:${reportId}:message`;

/**
 * What happens to a report after it is submitted, as the reporter sees it:
 * information and evidence they add later, messages staff send them, and the
 * status. Everything personal is encrypted; every change is audited and moves
 * the report's `updated_at`, so the staff queue notices it.
 */
export class ReportFollowups extends StoreBase {

  async addToReport(
    reportId: string,
    addition: { text?: string; evidence?: Evidence[]; channel: Channel; actor: string },
  ): Promise<void> {
    const text = addition.text?.trim() || undefined;
    const evidence = (addition.evidence ?? []).map((item) => evidenceSchema.parse(item));
    if (!text && evidence.length === 0) throw new EmptyAdditionError('an addition needs text or evidence');
    const at = this.now();
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('report_additions')
        .values({
          report_id: reportId,
          channel: addition.channel,
          actor: addition.actor,
          content_enc: this.cipher.encryptJson({ text, evidence }, additionContext(reportId)),
          created_at: at.toISOString(),
        })
        .execute();
      await trx.updateTable('reports').set({ updated_at: at.toISOString() }).where('id', '=', reportId).execute();
      await appendAuditEvent(trx, {
        actor: addition.actor,
        action: 'report.addition',
        reportId,
        at,
        detail: { channel: addition.channel, text: text !== undefined, evidence: evidence.length },
      });
    });
  }

  async listAdditions(reportId: string): Promise<ReportAddition[]> {
    const rows = await this.db
      .selectFrom('report_additions')
      .select(['channel', 'content_enc', 'created_at'])
      .where('report_id', '=', reportId)
      .orderBy('id')
      .execute();
    return rows.map((row) => {
      const { text, evidence } = this.cipher.decryptJson<{ text?: string; evidence: Evidence[] }>(
        row.content_enc,
        additionContext(reportId),
      );
      return { ...(text ? { text } : {}), evidence, channel: row.channel as Channel, createdAt: row.created_at };
    });
  }

  async postMessageToReporter(reportId: string, message: { body: string; author: string }): Promise<void> {
    const body = message.body.trim();
    if (!body) throw new EmptyAdditionError('a message needs a body');
    const at = this.now();
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('reporter_messages')
        .values({
          report_id: reportId,
          author: message.author,
          body_enc: this.cipher.encrypt(body, messageContext(reportId)),
          created_at: at.toISOString(),
        })
        .execute();
      await trx.updateTable('reports').set({ updated_at: at.toISOString() }).where('id', '=', reportId).execute();
      await appendAuditEvent(trx, { actor: message.author, action: 'report.message_to_reporter', reportId, at });
    });
  }

  async listMessagesForReporter(reportId: string): Promise<ReporterMessage[]> {
    const rows = await this.db
      .selectFrom('reporter_messages')
      .select(['body_enc', 'created_at'])
      .where('report_id', '=', reportId)
      .orderBy('id')
      .execute();
    return rows.map((row) => ({ body: this.cipher.decrypt(row.body_enc, messageContext(reportId)), createdAt: row.created_at }));
  }

  async getStatus(reportId: string): Promise<ReportStatusView | undefined> {
    const row = await this.db
      .selectFrom('reports')
      .select(['reference', 'status', 'updated_at'])
      .where('id', '=', reportId)
      .executeTakeFirst();
    return row ? { reference: row.reference, status: row.status as ReportStatus, updatedAt: row.updated_at } : undefined;
  }
}
