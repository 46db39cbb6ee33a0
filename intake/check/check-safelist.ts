import type { Kysely } from 'kysely';
import type { Clock } from '../clock.js';
import type { FieldCipher } from '../crypto/field-cipher.js';
import { indicatorKinds, type IndicatorKind } from '../indicators/indicator.js';
import { normalizeIndicator } from '../indicators/normalize-indicator.js';
import { appendAuditEvent } from '../store/audit-log.js';
import type { Database } from '../store/database.js';
import { indicatorBlindIndex } from '../store/report-store.js';
import { builtInSafelist, type SafelistEntry } from './built-in-safelist.js';
import { CheckError } from './check-error.js';

/** Where a safelist entry comes from: the code, the deployment's file (REPORTLINE_IGNORED_INDICATORS), or staff. */
export type SafelistOrigin = 'built_in' | 'deployment' | 'staff';

export interface ListedSafelistEntry extends SafelistEntry {
  valueHash: string;
  origin: SafelistOrigin;
  addedBy?: string;
  addedAt?: string;
}

/** The longest source staff may give for an entry. */
export const maxSafelistSourceLength = 300;

/**
 * Indicators a check never flags: the built-in public hotlines and sites,
 * the deployment's ignored indicators, and what staff add (audited). A check
 * asks the table every time, found or not, so its timing says nothing.
 */
export class CheckSafelist {
  readonly #db: Kysely<Database>;
  readonly #cipher: FieldCipher;
  readonly #now: Clock;
  readonly #fixed: ListedSafelistEntry[];
  readonly #fixedHashes: Set<string>;

  constructor(parts: {
    db: Kysely<Database>;
    cipher: FieldCipher;
    now: Clock;
    /** The deployment's ignored indicators, already normalized (app/config.ts). */
    deployment?: ReadonlyArray<{ kind: IndicatorKind; value: string }>;
  }) {
    this.#db = parts.db;
    this.#cipher = parts.cipher;
    this.#now = parts.now;
    const listed = (entry: SafelistEntry, origin: SafelistOrigin): ListedSafelistEntry => ({
      ...entry,
      valueHash: indicatorBlindIndex(parts.cipher, entry.kind, entry.value),
      origin,
    });
    this.#fixed = [
      ...builtInSafelist.map((entry) => listed(entry, 'built_in')),
      ...(parts.deployment ?? []).map((entry) =>
        listed({ ...entry, source: 'REPORTLINE_IGNORED_INDICATORS' }, 'deployment'),
      ),
    ];
    this.#fixedHashes = new Set(this.#fixed.map((entry) => entry.valueHash));
  }

  /** Which of these blind indexes are safelisted (in `within`, a transaction). One query whatever it finds. */
  async safelisted(valueHashes: readonly string[], within: Kysely<Database> = this.#db): Promise<Set<string>> {
    const stored =
      valueHashes.length === 0
        ? []
        : await within
            .selectFrom('check_safelist')
            .select('value_hash')
            .where('value_hash', 'in', [...valueHashes])
            .execute();
    const found = new Set(stored.map((row) => row.value_hash));
    for (const hash of valueHashes) if (this.#fixedHashes.has(hash)) found.add(hash);
    return found;
  }

  /** The blind indexes of the entries that live in code and configuration (the table's are joined in SQL). */
  fixedHashes(): ReadonlySet<string> {
    return this.#fixedHashes;
  }

  async list(): Promise<ListedSafelistEntry[]> {
    const rows = await this.#db
      .selectFrom('check_safelist')
      .selectAll()
      .orderBy('added_at')
      .orderBy('value_hash')
      .execute();
    return [
      ...this.#fixed,
      ...rows.map((row) => ({
        kind: row.kind as IndicatorKind,
        value: row.value,
        source: row.source,
        valueHash: row.value_hash,
        origin: 'staff' as const,
        addedBy: row.added_by,
        addedAt: row.added_at,
      })),
    ];
  }

  /**
   * Staff add a public number or site, normalized as reports are (a local
   * number needs its country). Adding one already listed changes nothing.
   */
  async add(
    actor: string,
    entry: { kind: string; value: string; country?: string; source: string },
  ): Promise<{ valueHash: string; added: boolean }> {
    const source = entry.source.trim();
    const indicator =
      (indicatorKinds as readonly string[]).includes(entry.kind) && source.length > 0
        ? normalizeIndicator(entry.kind as IndicatorKind, entry.value.slice(0, 500), {
            ...(entry.country ? { defaultCountry: entry.country } : {}),
          })
        : undefined;
    if (!indicator || source.length > maxSafelistSourceLength) throw new CheckError('check.invalid_safelist_entry');
    const valueHash = indicatorBlindIndex(this.#cipher, indicator.kind, indicator.value);
    if (this.#fixedHashes.has(valueHash)) return { valueHash, added: false };
    const at = this.#now();
    return this.#db.transaction().execute(async (trx) => {
      const inserted = await trx
        .insertInto('check_safelist')
        .values({
          value_hash: valueHash,
          kind: indicator.kind,
          value: indicator.value,
          source,
          added_by: actor,
          added_at: at.toISOString(),
        })
        .onConflict((conflict) => conflict.column('value_hash').doNothing())
        .executeTakeFirst();
      const added = Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0;
      if (added)
        await appendAuditEvent(trx, {
          actor,
          action: 'check.safelist_added',
          at,
          detail: { kind: indicator.kind, valueHash },
        });
      return { valueHash, added };
    });
  }

  /** Staff take back an entry they added (the built-in and deployment ones are changed where they live). */
  async remove(actor: string, valueHash: string): Promise<{ removed: boolean }> {
    const at = this.#now();
    return this.#db.transaction().execute(async (trx) => {
      const row = await trx
        .selectFrom('check_safelist')
        .select('kind')
        .where('value_hash', '=', valueHash)
        .executeTakeFirst();
      if (!row) return { removed: false };
      await trx.deleteFrom('check_safelist').where('value_hash', '=', valueHash).execute();
      await appendAuditEvent(trx, {
        actor,
        action: 'check.safelist_removed',
        at,
        detail: { kind: row.kind, valueHash },
      });
      return { removed: true };
    });
  }
}
