import type { Kysely } from 'kysely';
import type { Clock } from '../clock.js';
import type { FieldCipher } from '../crypto/field-cipher.js';
import type { IndicatorKind } from '../indicators/indicator.js';
import { appendAuditEvent } from '../store/audit-log.js';
import type { Database } from '../store/database.js';
import { indicatorBlindIndex } from '../store/report-store.js';
import { CheckError } from './check-error.js';
import { disputeContext } from './check-service.js';

export type DisputeStatus = 'open' | 'upheld' | 'rejected';

/** A dispute as staff review it: what is disputed, why, how to reach the person, and whether a warning stands. */
export interface CheckDispute {
  id: string;
  reference: string;
  channel: string;
  language: string;
  status: DisputeStatus;
  indicators: Array<{ kind: IndicatorKind; value: string; warningStands: boolean }>;
  explanation: string;
  contact: string | null;
  createdAt: string;
  decidedAt: string | null;
  decidedBy: string | null;
}

/**
 * Staff review disputes: upholding one withdraws every confirmed warning it
 * names (for good: an indicator withdrawn by a dispute cannot be confirmed
 * again), rejecting it leaves them. Either is one transaction with its audit
 * event; a decided dispute is not decided again.
 */
export class DisputeReview {
  readonly #db: Kysely<Database>;
  readonly #cipher: FieldCipher;
  readonly #now: Clock;

  constructor(parts: { db: Kysely<Database>; cipher: FieldCipher; now: Clock }) {
    this.#db = parts.db;
    this.#cipher = parts.cipher;
    this.#now = parts.now;
  }

  /** Open disputes oldest first (they wait longest), or the decided ones newest first. */
  async list(which: 'open' | 'decided'): Promise<CheckDispute[]> {
    let query = this.#db.selectFrom('check_disputes').selectAll().limit(200);
    query =
      which === 'open'
        ? query.where('status', '=', 'open').orderBy('created_at', 'asc')
        : query.where('status', '!=', 'open').orderBy('decided_at', 'desc');
    const rows = await query.orderBy('id').execute();
    if (rows.length === 0) return [];
    const named = await this.#db
      .selectFrom('check_dispute_indicators as d')
      .leftJoin('check_confirmations as c', 'c.value_hash', 'd.value_hash')
      .select(['d.dispute_id', 'd.value_hash', 'c.status'])
      .where(
        'd.dispute_id',
        'in',
        rows.map((row) => row.id),
      )
      .execute();
    return rows.map((row) => {
      const subject = this.#cipher.decryptJson<Array<{ kind: IndicatorKind; value: string }>>(
        row.subject_enc,
        disputeContext(row.id, 'subject'),
      );
      const standing = new Set(
        named
          .filter((item) => item.dispute_id === row.id && item.status === 'confirmed')
          .map((item) => item.value_hash),
      );
      return {
        id: row.id,
        reference: row.reference,
        channel: row.channel,
        language: row.language,
        status: row.status as DisputeStatus,
        indicators: subject.map((indicator) => ({
          ...indicator,
          warningStands: standing.has(indicatorBlindIndex(this.#cipher, indicator.kind, indicator.value)),
        })),
        explanation: this.#cipher.decrypt(row.explanation_enc, disputeContext(row.id, 'explanation')),
        contact: row.contact_enc ? this.#cipher.decrypt(row.contact_enc, disputeContext(row.id, 'contact')) : null,
        createdAt: row.created_at,
        decidedAt: row.decided_at,
        decidedBy: row.decided_by,
      };
    });
  }

  async decide(actor: string, disputeId: string, decision: 'uphold' | 'reject'): Promise<{ withdrawn: number }> {
    const at = this.#now().toISOString();
    return this.#db.transaction().execute(async (trx) => {
      const decided = await trx
        .updateTable('check_disputes')
        .set({ status: decision === 'uphold' ? 'upheld' : 'rejected', decided_at: at, decided_by: actor })
        .where('id', '=', disputeId)
        .where('status', '=', 'open')
        .executeTakeFirst();
      if (Number(decided.numUpdatedRows) === 0) {
        const exists = await trx
          .selectFrom('check_disputes')
          .select('id')
          .where('id', '=', disputeId)
          .executeTakeFirst();
        throw new CheckError(exists ? 'check.dispute_decided' : 'check.not_found');
      }
      let withdrawn = 0;
      if (decision === 'uphold') {
        const result = await trx
          .updateTable('check_confirmations')
          .set({ status: 'withdrawn', dispute_id: disputeId, changed_by: actor, changed_at: at })
          .where('status', 'in', ['confirmed', 'unconfirmed'])
          .where('value_hash', 'in', (eb) =>
            eb.selectFrom('check_dispute_indicators').select('value_hash').where('dispute_id', '=', disputeId),
          )
          .executeTakeFirst();
        withdrawn = Number(result.numUpdatedRows);
      }
      await appendAuditEvent(trx, {
        actor,
        action: decision === 'uphold' ? 'check.dispute_upheld' : 'check.dispute_rejected',
        at: new Date(at),
        detail: { disputeId, withdrawn },
      });
      return { withdrawn };
    });
  }
}
