import type { Transaction } from 'kysely';
import type { Channel, ReportStatus } from '../report/report-schema.js';
import { evidenceSchema } from '../report/report-schema.js';
import type { z } from 'zod';
import { appendAuditEvent } from './audit-log.js';
import type { Database } from './database.js';
import { StoreBase, type StoreDependencies } from './store-base.js';
import { holdsNoEvidence, requireHeldEvidence, type HoldsEvidence } from '../evidence/held-evidence.js';
import type { FieldCipher } from '../crypto/field-cipher.js';
import type { ReportAmendments } from '../cases/amend-report.js';
import { ReportValidationError } from '../report/validate-report.js';

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

/** A message to the reporter as staff see it: who wrote it, and whether it reached their chat too. */
export interface SentReporterMessage extends ReporterMessage {
  id: number;
  author: string;
  chatStatus: ChatStatus | null;
  chatError: string | null;
}

/**
 * queued: waiting in the chat outbox; sent: it reached their chat too; failed: the chat refused it (it is on the
 * status page); not_sent: no chat, or no consent.
 */
export type ChatStatus = 'queued' | 'sent' | 'failed' | 'not_sent';

export interface ReportStatusView {
  reference: string;
  status: ReportStatus;
  updatedAt: string;
}

export class EmptyAdditionError extends Error {
  readonly code = 'report.addition_empty';
}

/** What a reporter's addition is encrypted under (its text and files), bound to its report. */
export const additionContext = (reportId: string) => `report:${reportId}:addition`;
const messageContext = (reportId: string) => `report:${reportId}:message`;

/** Whether the message with this key already added to a report (its redelivery adds nothing). */
export async function additionStored(
  trx: Transaction<Database>,
  idempotency: { scope: string; key: string },
): Promise<boolean> {
  const row = await trx
    .selectFrom('report_additions')
    .select('id')
    .where('idempotency_scope', '=', idempotency.scope)
    .where('idempotency_key', '=', idempotency.key)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Keeps what a reporter added, as they typed it, with its files, encrypted;
 * audited (whether there was text and how many files, never what) and moving
 * the report's `updated_at`. Inside the caller's transaction: the amendment
 * that reads the text into the report commits with it.
 */
export async function storeAddition(
  trx: Transaction<Database>,
  cipher: FieldCipher,
  addition: {
    reportId: string;
    text?: string | undefined;
    evidence: Evidence[];
    channel: Channel;
    actor: string;
    at: Date;
    idempotency?: { scope: string; key: string };
  },
): Promise<void> {
  const { reportId, text, evidence, at } = addition;
  await trx
    .insertInto('report_additions')
    .values({
      report_id: reportId,
      channel: addition.channel,
      actor: addition.actor,
      content_enc: cipher.encryptJson({ text, evidence }, additionContext(reportId)),
      created_at: at.toISOString(),
      idempotency_scope: addition.idempotency?.scope ?? null,
      idempotency_key: addition.idempotency?.key ?? null,
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
}

/**
 * What happens to a report after it is submitted, as the reporter sees it:
 * information and evidence they add later, messages staff send them, and the
 * status. Everything personal is encrypted; every change is audited and moves
 * the report's `updated_at`, so the staff queue notices it.
 */
export class ReportFollowups extends StoreBase {
  readonly #holdsEvidence: HoldsEvidence;
  readonly #amendments: ReportAmendments | undefined;

  constructor(
    dependencies: StoreDependencies & {
      holdsEvidence?: HoldsEvidence;
      /** Given, an addition is an amendment: what its text mentions is indexed, linked and routed. */
      amendments?: ReportAmendments;
    },
  ) {
    super(dependencies);
    this.#holdsEvidence = dependencies.holdsEvidence ?? holdsNoEvidence;
    this.#amendments = dependencies.amendments;
  }

  /**
   * What a reporter adds to their report later (`/add` in a chat, the web
   * chat, the status page): the text is kept as typed and the files as its
   * evidence, and through the amend operation every phone, wallet, handle,
   * account or site the text mentions joins the report (read with the
   * report's country), so staff find it, the report links and routes by it
   * and agencies already on the case get `case.updated`. With an
   * idempotency key (the message it came from), a redelivery adds nothing.
   */
  async addToReport(
    reportId: string,
    addition: {
      text?: string;
      evidence?: Evidence[];
      channel: Channel;
      actor: string;
      idempotency?: { scope: string; key: string };
    },
  ): Promise<void> {
    const text = addition.text?.trim() || undefined;
    const evidence = (addition.evidence ?? []).map((item) => evidenceSchema.parse(item));
    if (!text && evidence.length === 0) throw new EmptyAdditionError('an addition needs text or evidence');
    requireHeldEvidence(evidence, this.#holdsEvidence);
    const { channel, actor, idempotency } = addition;
    if (this.#amendments) {
      try {
        await this.#amendments.amend({
          reportId,
          changes: {},
          actor,
          channel,
          addition: { ...(text ? { text } : {}), evidence },
          ...(idempotency ? { idempotency } : {}),
        });
        return;
      } catch (error) {
        // A stored report the amended whole no longer passes (written under older rules): the words are still
        // kept, as an addition alone, rather than lost with the amendment.
        if (!(error instanceof ReportValidationError)) throw error;
      }
    }
    const at = this.now();
    await this.db.transaction().execute(async (trx) => {
      if (idempotency && (await additionStored(trx, idempotency))) return;
      await storeAddition(trx, this.cipher, {
        reportId,
        text,
        evidence,
        channel,
        actor,
        at,
        ...(idempotency ? { idempotency } : {}),
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

  /** Stores a message for the reporter (their status page shows it); returns its id. */
  async postMessageToReporter(
    reportId: string,
    message: { body: string; author: string },
    within?: Transaction<Database>,
  ): Promise<number> {
    const body = message.body.trim();
    if (!body) throw new EmptyAdditionError('a message needs a body');
    const at = this.now();
    // Inside the caller's transaction when given one (a use case that also enqueues it for the chat).
    const inTransaction = <T>(work: (trx: Transaction<Database>) => Promise<T>) =>
      within ? work(within) : this.db.transaction().execute(work);
    return inTransaction(async (trx) => {
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
      // The newest message of this report, read inside the transaction that wrote it.
      const row = await trx
        .selectFrom('reporter_messages')
        .select('id')
        .where('report_id', '=', reportId)
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirstOrThrow();
      return Number(row.id);
    });
  }

  /** Records how sending a message through the reporter's chat went. */
  async recordChatDelivery(
    messageId: number,
    status: ChatStatus,
    error: string | null,
    trx?: Transaction<Database>,
  ): Promise<void> {
    await (trx ?? this.db)
      .updateTable('reporter_messages')
      .set({ chat_status: status, chat_error: error })
      .where('id', '=', messageId)
      .execute();
  }

  async getMessage(
    messageId: number,
    trx?: Transaction<Database>,
  ): Promise<(SentReporterMessage & { reportId: string }) | undefined> {
    const row = await (trx ?? this.db)
      .selectFrom('reporter_messages')
      .selectAll()
      .where('id', '=', messageId)
      .executeTakeFirst();
    return row ? { ...this.#staffView(row), reportId: row.report_id } : undefined;
  }

  async listMessagesForStaff(reportId: string): Promise<SentReporterMessage[]> {
    const rows = await this.db
      .selectFrom('reporter_messages')
      .selectAll()
      .where('report_id', '=', reportId)
      .orderBy('id')
      .execute();
    return rows.map((row) => this.#staffView(row));
  }

  #staffView(row: {
    id: number | bigint;
    report_id: string;
    author: string;
    body_enc: string;
    created_at: string;
    chat_status: string | null;
    chat_error: string | null;
  }): SentReporterMessage {
    return {
      id: Number(row.id),
      author: row.author,
      body: this.cipher.decrypt(row.body_enc, messageContext(row.report_id)),
      createdAt: row.created_at,
      chatStatus: row.chat_status as ChatStatus | null,
      chatError: row.chat_error,
    };
  }

  async listMessagesForReporter(reportId: string): Promise<ReporterMessage[]> {
    const rows = await this.db
      .selectFrom('reporter_messages')
      .select(['body_enc', 'created_at'])
      .where('report_id', '=', reportId)
      .orderBy('id')
      .execute();
    return rows.map((row) => ({
      body: this.cipher.decrypt(row.body_enc, messageContext(reportId)),
      createdAt: row.created_at,
    }));
  }

  async getStatus(reportId: string): Promise<ReportStatusView | undefined> {
    const row = await this.db
      .selectFrom('reports')
      .select(['reference', 'status', 'updated_at'])
      .where('id', '=', reportId)
      .executeTakeFirst();
    return row
      ? { reference: row.reference, status: row.status as ReportStatus, updatedAt: row.updated_at }
      : undefined;
  }
}
