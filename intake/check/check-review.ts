import type { Kysely } from 'kysely';
import type { Clock } from '../clock.js';
import type { FieldCipher } from '../crypto/field-cipher.js';
import { nonLinkingKinds, type IndicatorKind } from '../indicators/indicator.js';
import { appendAuditEvent } from '../store/audit-log.js';
import type { Database } from '../store/database.js';
import { isCheckCategory, type CheckCategory } from './check-categories.js';
import { CheckError } from './check-error.js';
import type { CheckSafelist } from './check-safelist.js';
import { reportersBehind } from './distinct-reporters.js';
import { indicatorValuesOf } from './indicator-values.js';
import { partnerHash, partnerPrefixOf } from './partner-hash.js';

export const checkValueContext = (valueHash: string) => `check:${valueHash}:value`;

/** An indicator enough distinct reporters stand behind for staff to consider confirming it. */
export interface CheckCandidate {
  valueHash: string;
  kind: IndicatorKind;
  value: string;
  reporters: number;
  reports: number;
  lastReportedAt: string;
  /** Confirmed once and taken back by staff: it may be confirmed again. */
  unconfirmedBefore: boolean;
}

export type ConfirmationStatus = 'confirmed' | 'unconfirmed' | 'withdrawn';

/** A confirmation as staff list it. */
export interface CheckConfirmation {
  valueHash: string;
  kind: IndicatorKind;
  value: string;
  category: CheckCategory;
  status: ConfirmationStatus;
  reporters: number;
  changedBy: string;
  confirmedAt: string;
  changedAt: string;
  disputeId: string | null;
}

/** How many candidates the console lists at once, the most reported first. */
export const candidateLimit = 100;

/**
 * What staff do for "check before you pay": see the candidates (indicators
 * at least N distinct reporters stand behind, not confirmed), confirm one with
 * a category, take a confirmation back. Each change is one transaction with
 * its audit event; the audit holds the kind, the blind index and the
 * category, never the value.
 */
export class CheckReview {
  readonly #db: Kysely<Database>;
  readonly #cipher: FieldCipher;
  readonly #safelist: CheckSafelist;
  readonly #minReporters: number;
  readonly #now: Clock;

  constructor(parts: {
    db: Kysely<Database>;
    cipher: FieldCipher;
    safelist: CheckSafelist;
    minReporters: number;
    now: Clock;
  }) {
    this.#db = parts.db;
    this.#cipher = parts.cipher;
    this.#safelist = parts.safelist;
    this.#minReporters = parts.minReporters;
    this.#now = parts.now;
  }

  get minReporters(): number {
    return this.#minReporters;
  }

  async candidates(): Promise<CheckCandidate[]> {
    // Distinct reports bound distinct reporters from above: the SQL narrows, the reporters are counted after.
    const rows = await this.#db
      .selectFrom('report_indicators as ri')
      .leftJoin('check_confirmations as c', 'c.value_hash', 'ri.value_hash')
      .leftJoin('check_safelist as s', 's.value_hash', 'ri.value_hash')
      .select([
        'ri.value_hash as valueHash',
        'c.status as status',
        (eb) => eb.fn.count<number>('ri.report_id').distinct().as('reports'),
      ])
      .where('ri.kind', 'not in', [...nonLinkingKinds])
      .where((eb) => eb.or([eb('c.status', 'is', null), eb('c.status', '=', 'unconfirmed')]))
      .where('s.value_hash', 'is', null)
      .groupBy(['ri.value_hash', 'c.status'])
      .having((eb) => eb.fn.count('ri.report_id').distinct(), '>=', this.#minReporters)
      .orderBy('reports', 'desc')
      .limit(candidateLimit * 3)
      .execute();
    const fixed = this.#safelist.fixedHashes();
    const hashes = rows.map((row) => row.valueHash).filter((hash) => !fixed.has(hash));
    const [behind, values] = await Promise.all([
      reportersBehind({ db: this.#db, cipher: this.#cipher }, hashes),
      indicatorValuesOf({ db: this.#db, cipher: this.#cipher }, hashes),
    ]);
    const statusOf = new Map(rows.map((row) => [row.valueHash, row.status]));
    return hashes
      .flatMap((hash): CheckCandidate[] => {
        const counted = behind.get(hash);
        const value = values.get(hash);
        if (!counted || !value || counted.reporters < this.#minReporters) return [];
        return [{ valueHash: hash, ...value, ...counted, unconfirmedBefore: statusOf.get(hash) === 'unconfirmed' }];
      })
      .sort((a, b) => b.reporters - a.reporters || b.lastReportedAt.localeCompare(a.lastReportedAt))
      .slice(0, candidateLimit);
  }

  /** Confirmations staff made, the latest change first (confirmed, taken back, withdrawn by a dispute). */
  async confirmations(status?: ConfirmationStatus): Promise<CheckConfirmation[]> {
    let query = this.#db.selectFrom('check_confirmations').selectAll().orderBy('changed_at', 'desc').limit(500);
    if (status) query = query.where('status', '=', status);
    const rows = await query.execute();
    return rows.map((row) => ({
      valueHash: row.value_hash,
      kind: row.kind as IndicatorKind,
      value: this.#cipher.decrypt(row.value_enc, checkValueContext(row.value_hash)),
      category: row.category as CheckCategory,
      status: row.status as ConfirmationStatus,
      reporters: Number(row.reporters),
      changedBy: row.changed_by,
      confirmedAt: row.confirmed_at,
      changedAt: row.changed_at,
      disputeId: row.dispute_id,
    }));
  }

  /**
   * Staff confirm an indicator as a category. Refused when fewer than N
   * distinct reporters stand behind it now, when it is safelisted, or when an
   * upheld dispute withdrew it. Confirming a confirmed one changes its category.
   */
  async confirm(actor: string, valueHash: string, category: string): Promise<{ reporters: number }> {
    if (!isCheckCategory(category)) throw new CheckError('check.invalid_category');
    const at = this.#now();
    return this.#db.transaction().execute(async (trx) => {
      const parts = { db: trx, cipher: this.#cipher };
      // One after the other: a transaction is one connection, which runs one query at a time anyway (pg 9 refuses
      // a second query sent while one runs).
      const existing = await trx
        .selectFrom('check_confirmations')
        .select(['status', 'confirmed_at'])
        .where('value_hash', '=', valueHash)
        .executeTakeFirst();
      const counted = await reportersBehind(parts, [valueHash]);
      const values = await indicatorValuesOf(parts, [valueHash]);
      const safelisted = await this.#safelist.safelisted([valueHash], trx);
      const value = values.get(valueHash);
      if (!value) throw new CheckError('check.not_found');
      if (existing?.status === 'withdrawn') throw new CheckError('check.withdrawn_by_dispute');
      if (safelisted.has(valueHash)) throw new CheckError('check.safelisted');
      const reporters = counted.get(valueHash)?.reporters ?? 0;
      if (reporters < this.#minReporters) throw new CheckError('check.too_few_reporters');
      const hash = partnerHash(this.#cipher.checkPartnerKey(), value.kind, value.value);
      const row = {
        kind: value.kind,
        value_enc: this.#cipher.encrypt(value.value, checkValueContext(valueHash)),
        partner_hash: hash,
        partner_prefix: partnerPrefixOf(hash),
        category,
        status: 'confirmed',
        reporters,
        changed_by: actor,
        confirmed_at: at.toISOString(),
        changed_at: at.toISOString(),
        dispute_id: null,
      };
      await trx
        .insertInto('check_confirmations')
        .values({ value_hash: valueHash, ...row })
        .onConflict((conflict) => conflict.column('value_hash').doUpdateSet(row))
        .execute();
      await appendAuditEvent(trx, {
        actor,
        action: 'check.confirmed',
        at,
        detail: { kind: value.kind, valueHash, category, reporters },
      });
      return { reporters };
    });
  }

  /** Staff take a confirmation back: from now on the indicator is `no_warning` again. */
  async unconfirm(actor: string, valueHash: string): Promise<void> {
    const at = this.#now();
    await this.#db.transaction().execute(async (trx) => {
      const result = await trx
        .updateTable('check_confirmations')
        .set({ status: 'unconfirmed', changed_by: actor, changed_at: at.toISOString() })
        .where('value_hash', '=', valueHash)
        .where('status', '=', 'confirmed')
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 0) throw new CheckError('check.not_confirmed');
      await appendAuditEvent(trx, { actor, action: 'check.unconfirmed', at, detail: { valueHash } });
    });
  }
}
