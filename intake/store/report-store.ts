import { createHash } from 'node:crypto';
import type { FieldCipher } from '../crypto/field-cipher.js';
import { collectReportIndicators } from '../indicators/collect-report-indicators.js';
import type { Indicator } from '../indicators/indicator.js';
import { uniqueIndicators } from '../indicators/unique-indicators.js';
import {
  newReceiptCode,
  newReportReference,
  normalizeReceiptCode,
  normalizeReportReference,
} from '../report/reference-codes.js';
import { isUrgent, type Report, type ReportContent, type ReportStatus } from '../report/report-schema.js';
import { parseReportInput } from '../report/validate-report.js';
import { canonicalJson } from '../report/canonical-json.js';
import { holdsNoEvidence, requireHeldEvidence, type HoldsEvidence } from '../evidence/held-evidence.js';
import { appendAuditEvent, auditEventRow } from './audit-log.js';
import { isUniqueViolation } from './dialect/constraint-errors.js';
import { dialectKindOf } from './dialect/dialect-kind.js';
import { routingRows, type CaseRouter } from '../routing/routing-plan.js';
import { indicatorIndexRows } from './indicator-index.js';
import { InsertBatcher } from './insert-batcher.js';
import { StoreBase, type StoreDependencies } from './store-base.js';
import { newTimeOrderedId } from './time-ordered-id.js';
import { reportGlanceColumns } from './report-glance-columns.js';
import type { UrgentClockPolicy } from '../urgent/urgent-clock-policy.js';
import { urgentClockRowsAtSubmission } from '../urgent/start-urgent-clock.js';
import { muleRows } from '../mules/mule-rows.js';
import { defaultFreezeRequestSettings, type FreezeRequestSettings } from '../mules/freeze-request-settings.js';

export interface SubmitResult {
  reportId: string;
  reference: string;
  /** Shown to the reporter once; only its keyed hash is stored. */
  receiptCode: string;
  urgent: boolean;
  /** True when an Idempotency-Key matched an earlier submission and nothing new was stored. */
  replayed: boolean;
}

export interface SubmitOptions {
  /** Who submits, for the audit log: `token:<id>`, `channel:telegram`, `public`. */
  actor: string;
  /** A retry with the same key returns the first result and stores nothing new. */
  idempotency?: { scope: string; key: string };
}

export interface StoredReport {
  report: Report;
  indicators: Indicator[];
  /** The reporter withdrew it (it is kept, marked so): when and from which channel; null while it stands. */
  withdrawal: { at: string; channel: string } | null;
}

/** One amendment of a report as the case shows it: its version, when, and which fields it changed. */
export interface AmendmentSummary {
  version: number;
  amendedAt: string;
  fields: string[];
}

export class IdempotencyConflictError extends Error {
  readonly code = 'idempotency.key_reused';

  constructor() {
    super('this Idempotency-Key was already used for a different report');
  }
}

interface IdempotentResult {
  reference: string;
  receiptCode: string;
  urgent: boolean;
}

const receiptScope = 'receipt';
export const contentContext = (reportId: string) => `report:${reportId}:content`;
export const indicatorsContext = (reportId: string) => `report:${reportId}:indicators`;
const idempotencyContext = (scope: string, key: string) => `idempotency:${scope}:${key}`;

/** The one kind-scoped value that links reports; shared with linking and lookups. */
export function indicatorBlindIndex(cipher: FieldCipher, kind: string, value: string): string {
  return cipher.blindIndex(`indicator:${kind}`, value);
}

/**
 * The columns of a report's row that follow from its content: what the queue
 * filters and sorts by, in the clear, and the content and indicators
 * encrypted. Written when a report is stored and again when it is amended.
 */
export function reportContentColumns(
  cipher: FieldCipher,
  reportId: string,
  content: ReportContent,
  indicators: Indicator[],
) {
  return {
    language: content.language,
    reporter_role: content.reporterRole ?? null,
    category: content.incident.category ?? null,
    urgent: isUrgent(content) ? 1 : 0,
    consent_share: content.consent.shareWithLawEnforcement ? 1 : 0,
    consent_contact: content.consent.contactBack ? 1 : 0,
    current_country: content.victim.currentCountry ?? null,
    nationality: content.victim.nationality ?? null,
    residence_country: content.victim.residenceCountry ?? null,
    content_enc: cipher.encryptJson(content, contentContext(reportId)),
    indicators_enc: cipher.encryptJson(indicators, indicatorsContext(reportId)),
    ...reportGlanceColumns(cipher, reportId, content),
  };
}

export interface ReportStoreDependencies extends StoreDependencies {
  /** Decides where each report goes; its plan is stored in the report's own transaction. */
  router?: CaseRouter;
  /**
   * Told after a new report is durably stored (so deliveries and the urgent clock's first look can start at once),
   * with how many deliveries it queued and whether it started an urgent clock.
   */
  afterSubmit?: (written: { deliveries: number; urgentClockStarted: boolean }) => void;
  /** Whether a file a report names was stored by this server; none is without it. */
  holdsEvidence?: HoldsEvidence;
  /** The acknowledgement clock an urgent report starts with, in its own transaction (intake/urgent). */
  urgentClock?: UrgentClockPolicy;
  /** When a payment to an account makes a freeze request for the hotline (intake/mules). */
  freezeRequests?: FreezeRequestSettings;
}

/**
 * Durable storage of reports. A submission is validated, its indicators are
 * extracted, and the report, its indicators, its audit event and its
 * idempotency record are written in ONE transaction: either the reporter's
 * report exists completely or not at all. On SQLite, reports arriving at the
 * same moment share a commit (see InsertBatcher).
 */
export class ReportStore extends StoreBase {
  readonly #batcher: InsertBatcher;
  readonly #router: CaseRouter | undefined;
  readonly #afterSubmit: (written: { deliveries: number; urgentClockStarted: boolean }) => void;
  readonly #holdsEvidence: HoldsEvidence;
  readonly #urgentClock: UrgentClockPolicy | undefined;
  readonly #freezeRequests: FreezeRequestSettings;

  constructor(dependencies: ReportStoreDependencies) {
    super(dependencies);
    this.#freezeRequests = dependencies.freezeRequests ?? defaultFreezeRequestSettings;
    this.#router = dependencies.router;
    this.#urgentClock = dependencies.urgentClock;
    this.#holdsEvidence = dependencies.holdsEvidence ?? holdsNoEvidence;
    this.#afterSubmit = dependencies.afterSubmit ?? (() => {});
    this.#batcher = new InsertBatcher(dependencies.db, dialectKindOf(dependencies.db));
  }

  async submitReport(input: unknown, options: SubmitOptions): Promise<SubmitResult> {
    const content = parseReportInput(input);
    requireHeldEvidence(content.evidence, this.#holdsEvidence);
    // Only a submission that may be retried needs its fingerprint.
    const requestHash = options.idempotency
      ? createHash('sha256').update(canonicalJson(content)).digest('base64url')
      : '';
    if (options.idempotency) {
      const earlier = await this.#findIdempotentResult(options.idempotency, requestHash);
      if (earlier) return earlier;
    }
    try {
      return await this.#insertReport(content, requestHash, options);
    } catch (error) {
      // Two concurrent retries with one key: the loser reads the winner's result.
      if (options.idempotency && isUniqueViolation(error)) {
        const earlier = await this.#findIdempotentResult(options.idempotency, requestHash);
        if (earlier) return earlier;
      }
      throw error;
    }
  }

  /**
   * What a keyed submission stored, whatever it contained: a channel that
   * crashed between storing a report and recording that it did finds out
   * here that the report exists, and shows its receipt again.
   */
  async findSubmission(idempotency: {
    scope: string;
    key: string;
  }): Promise<Omit<SubmitResult, 'replayed'> | undefined> {
    const row = await this.db
      .selectFrom('idempotency_keys')
      .select(['report_id', 'result_enc'])
      .where('scope', '=', idempotency.scope)
      .where('key', '=', idempotency.key)
      .executeTakeFirst();
    if (!row) return undefined;
    const result = this.cipher.decryptJson<IdempotentResult>(
      row.result_enc,
      idempotencyContext(idempotency.scope, idempotency.key),
    );
    return { reportId: row.report_id, ...result };
  }

  async #findIdempotentResult(
    idempotency: { scope: string; key: string },
    requestHash: string,
  ): Promise<SubmitResult | undefined> {
    const row = await this.db
      .selectFrom('idempotency_keys')
      .select(['request_hash', 'report_id', 'result_enc'])
      .where('scope', '=', idempotency.scope)
      .where('key', '=', idempotency.key)
      .executeTakeFirst();
    if (!row) return undefined;
    if (row.request_hash !== requestHash) throw new IdempotencyConflictError();
    const result = this.cipher.decryptJson<IdempotentResult>(
      row.result_enc,
      idempotencyContext(idempotency.scope, idempotency.key),
    );
    return { reportId: row.report_id, ...result, replayed: true };
  }

  async #insertReport(content: ReportContent, requestHash: string, options: SubmitOptions): Promise<SubmitResult> {
    const reportId = newTimeOrderedId();
    const receiptCode = newReceiptCode();
    const urgent = isUrgent(content);
    const indicators = uniqueIndicators(collectReportIndicators(content));
    const at = this.now();
    const timestamp = at.toISOString();

    const indicatorRows = indicatorIndexRows(this.cipher, reportId, indicators, timestamp);
    const reportRow = {
      id: reportId,
      receipt_hash: this.cipher.hashSecret(receiptScope, receiptCode),
      channel: content.channel,
      status: 'new',
      ...reportContentColumns(this.cipher, reportId, content, indicators),
      created_at: timestamp,
      updated_at: timestamp,
    };
    const plan = this.#router?.(content);
    const routing = plan ? routingRows(reportId, plan, { urgent, at, plannedBy: 'rules', cipher: this.cipher }) : {};
    // An urgent report's clock starts with it: the duty desk counts it from the moment it is stored.
    const clock =
      urgent && this.#urgentClock
        ? urgentClockRowsAtSubmission(this.#urgentClock, reportId, plan, { actor: options.actor, at })
        : { urgent_clocks: [], audit_events: [] };
    const auditRow = auditEventRow({
      actor: options.actor,
      action: 'report.created',
      reportId,
      at,
      detail: { channel: content.channel, urgent, indicators: indicators.length },
    });
    // Payments to accounts, counted by account, and a freeze request for each account paid recently.
    const mule = muleRows(this.cipher, reportId, content, { at, settings: this.#freezeRequests, actor: options.actor });

    for (let attempt = 0; ; attempt += 1) {
      const reference = newReportReference();
      const idempotencyRows = options.idempotency
        ? [
            {
              scope: options.idempotency.scope,
              key: options.idempotency.key,
              request_hash: requestHash,
              report_id: reportId,
              result_enc: this.cipher.encryptJson(
                { reference, receiptCode, urgent } satisfies IdempotentResult,
                idempotencyContext(options.idempotency.scope, options.idempotency.key),
              ),
              created_at: timestamp,
            },
          ]
        : [];
      try {
        // One transaction: the report, its indicators, its routing and deliveries,
        // its idempotency record and its audit event.
        await this.#batcher.insert({
          reports: [{ ...reportRow, reference }],
          report_indicators: indicatorRows,
          account_payments: mule.account_payments,
          freeze_requests: mule.freeze_requests,
          ...routing,
          urgent_clocks: clock.urgent_clocks,
          idempotency_keys: idempotencyRows,
          audit_events: [auditRow, ...mule.audit_events, ...clock.audit_events],
        });
        this.#afterSubmit({
          deliveries: routing.deliveries?.length ?? 0,
          urgentClockStarted: clock.urgent_clocks.length > 0,
        });
        return { reportId, reference, receiptCode, urgent, replayed: false };
      } catch (error) {
        // 40 random bits make a clash rare, not impossible: draw another reference.
        if (attempt < 5 && isUniqueViolation(error) && (await this.#referenceTaken(reference))) continue;
        throw error;
      }
    }
  }

  async #referenceTaken(reference: string): Promise<boolean> {
    const row = await this.db.selectFrom('reports').select('id').where('reference', '=', reference).executeTakeFirst();
    return row !== undefined;
  }

  /** The whole report, decrypted, with its indicators; undefined when the reference is unknown. */
  async getReport(reference: string): Promise<StoredReport | undefined> {
    const canonical = normalizeReportReference(reference);
    if (!canonical) return undefined;
    return this.#read('reference', canonical);
  }

  async getReportById(reportId: string): Promise<StoredReport | undefined> {
    return this.#read('id', reportId);
  }

  async #read(column: 'id' | 'reference', value: string): Promise<StoredReport | undefined> {
    const row = await this.db.selectFrom('reports').selectAll().where(column, '=', value).executeTakeFirst();
    if (!row) return undefined;
    const content = this.cipher.decryptJson<ReportContent>(row.content_enc, contentContext(row.id));
    const report: Report = {
      ...content,
      id: row.id,
      reference: row.reference,
      status: row.status as ReportStatus,
      urgent: row.urgent === 1,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
    const indicators = this.cipher.decryptJson<Indicator[]>(row.indicators_enc, indicatorsContext(row.id));
    const withdrawal = row.withdrawn_at ? { at: row.withdrawn_at, channel: row.withdrawn_channel ?? '' } : null;
    return { report, indicators, withdrawal };
  }

  /**
   * What each amendment of a report changed (field paths, never values),
   * oldest first: the case as an agency or staff see it names its versions.
   */
  async listAmendments(reportId: string): Promise<AmendmentSummary[]> {
    const rows = await this.db
      .selectFrom('report_versions')
      .select(['version', 'changed_fields', 'created_at'])
      .where('report_id', '=', reportId)
      .orderBy('version')
      .execute();
    return rows.map((row) => ({
      version: row.version,
      amendedAt: row.created_at,
      fields: JSON.parse(row.changed_fields) as string[],
    }));
  }

  /**
   * Records whether the reporter may be contacted, when they answer after the
   * report was stored (someone in danger is asked only once it is safe).
   */
  async setContactConsent(reportId: string, contactBack: boolean, actor: string): Promise<void> {
    const at = this.now();
    await this.db.transaction().execute(async (trx) => {
      const row = await trx
        .selectFrom('reports')
        .select(['content_enc', 'consent_contact'])
        .where('id', '=', reportId)
        .executeTakeFirst();
      if (!row || (row.consent_contact === 1) === contactBack) return;
      const content = this.cipher.decryptJson<ReportContent>(row.content_enc, contentContext(reportId));
      const updated: ReportContent = { ...content, consent: { ...content.consent, contactBack } };
      await trx
        .updateTable('reports')
        .set({
          consent_contact: contactBack ? 1 : 0,
          content_enc: this.cipher.encryptJson(updated, contentContext(reportId)),
          updated_at: at.toISOString(),
        })
        .where('id', '=', reportId)
        .execute();
      await appendAuditEvent(trx, { actor, action: 'report.contact_consent', reportId, at, detail: { contactBack } });
    });
  }

  /** Whether a reference and receipt code belong together (for the reporter's own status checks). */
  async verifyReceipt(reference: string, receiptCode: string): Promise<string | undefined> {
    const canonicalReference = normalizeReportReference(reference);
    const canonicalCode = normalizeReceiptCode(receiptCode);
    if (!canonicalReference || !canonicalCode) return undefined;
    const row = await this.db
      .selectFrom('reports')
      .select(['id', 'receipt_hash'])
      .where('reference', '=', canonicalReference)
      .executeTakeFirst();
    if (!row) return undefined;
    return this.cipher.secretMatches(receiptScope, canonicalCode, row.receipt_hash) ? row.id : undefined;
  }
}
