import { createHash } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import { holdsNoEvidence, requireHeldEvidence, type HoldsEvidence } from '../evidence/held-evidence.js';
import { collectReportIndicators } from '../indicators/collect-report-indicators.js';
import { IgnoredIndicators } from '../indicators/ignored-indicators.js';
import { nonLinkingKinds, type Indicator } from '../indicators/indicator.js';
import { canonicalJson } from '../report/canonical-json.js';
import { mergeAmendment, parseReportAmendment, type ReportAmendment } from '../report/report-amendment.js';
import { isUrgent, type Channel, type ReportContent } from '../report/report-schema.js';
import { parseReportInput } from '../report/validate-report.js';
import { outboxRow, routingRows, type CaseRouter, type DeliveryMethod } from '../routing/routing-plan.js';
import { appendAuditEvent } from '../store/audit-log.js';
import type { Database } from '../store/database.js';
import { isUniqueViolation } from '../store/dialect/constraint-errors.js';
import { dialectKindOf } from '../store/dialect/dialect-kind.js';
import { indicatorIndexRows } from '../store/indicator-index.js';
import {
  contentContext,
  IdempotencyConflictError,
  indicatorBlindIndex,
  indicatorsContext,
  reportContentColumns,
} from '../store/report-store.js';
import { StoreBase, type StoreDependencies } from '../store/store-base.js';
import { amendmentRouting, type AmendmentRouting } from './amendment-routing.js';
import { caseEventTypes } from '../delivery/case-event-types.js';
import { additionStored, storeAddition, type Evidence } from '../store/report-followups.js';
import { additionAmendment } from './addition-amendment.js';
import type { UrgentClockPolicy } from '../urgent/urgent-clock-policy.js';
import { saysDangerAnew, urgentClockAfterAmendment } from '../urgent/urgent-clock-after-amendment.js';
import { replaceMuleRows } from '../mules/mule-rows.js';
import { defaultFreezeRequestSettings, type FreezeRequestSettings } from '../mules/freeze-request-settings.js';

export interface AmendmentRequest {
  reportId: string;
  /** Fields of the report model, any subset; validated by the report's own rules. */
  changes: unknown;
  /** Who amends, for the audit log: `channel:telegram`, `user:<id>`, `token:<id>`. Never a name. */
  actor: string;
  /** Where the amendment came from (the report keeps the channel it was first sent by). */
  channel: Channel;
  /** The version the sender last saw: a report amended since then is refused, not overwritten. */
  expectedVersion?: number;
  /** A redelivery with the same key changes nothing twice and answers as the first time. */
  idempotency?: { scope: string; key: string };
  /**
   * What the reporter added in their own words, with files: kept whole as their addition (its files stay its
   * evidence), while what the text mentions joins the report's fields (see `additionAmendment`). It is a version of
   * its own, changing `additions`, so agencies already on the case get `case.updated`.
   */
  addition?: { text?: string; evidence: Evidence[] };
}

/** What an amendment did to the case's routing: agency ids only. */
export interface AmendmentRoutingOutcome {
  added: string[];
  updated: string[];
  noLongerDue: string[];
  dueAfterCorrection: string[];
}

export interface AmendmentResult {
  reportId: string;
  reference: string;
  /** The report's version now: 0 as submitted, one more for each amendment that changed something. */
  version: number;
  /** The field paths that changed; empty when the amendment said only what the report already said. */
  changedFields: string[];
  urgent: boolean;
  routing: AmendmentRoutingOutcome;
  /** Reports this one is now linked to through an indicator the amendment brought. */
  newlyLinked: number;
  /** True when an idempotency key matched an earlier amendment and nothing new was stored. */
  replayed: boolean;
}

/** One amendment as history shows it: which fields changed, when and by whom; the earlier values are read apart. */
export interface ReportVersion {
  version: number;
  amendedAt: string;
  actor: string;
  channel: Channel;
  changedFields: string[];
  /** The report as it was before this amendment. */
  previous: { content: ReportContent; indicators: Indicator[] };
}

export type AmendmentErrorCode = 'report.not_found' | 'report.consent_withdrawal';

/** A refused amendment, with a stable code. */
export class AmendmentError extends Error {
  constructor(
    readonly code: AmendmentErrorCode,
    message: string = code,
  ) {
    super(message);
    this.name = 'AmendmentError';
  }
}

/** The report was amended by someone else since the sender read it: read it again and amend that. */
export class ReportVersionConflictError extends Error {
  readonly code = 'report.version_conflict';

  constructor(
    readonly expectedVersion: number | undefined,
    readonly currentVersion: number,
  ) {
    super(`the report is at version ${currentVersion}, not ${expectedVersion ?? 'the one it was read at'}`);
    this.name = 'ReportVersionConflictError';
  }
}

export interface ReportAmendmentsDependencies extends StoreDependencies {
  /** The rules that routed the report; without them routing is left as it is. */
  router?: CaseRouter;
  /** Whether the server stored a file an amendment names. */
  holdsEvidence?: HoldsEvidence;
  /** Indicators that never link reports, so never count as a new link. */
  ignored?: IgnoredIndicators;
  /** Told after an amendment put deliveries in the outbox (so they go out at once). */
  afterAmend?: () => void;
  /** The clock a report that becomes urgent by an amendment starts, and its `case.urgent` (intake/urgent). */
  urgentClock?: UrgentClockPolicy;
  /** When a payment an amendment names makes a freeze request for the hotline (intake/mules). */
  freezeRequests?: FreezeRequestSettings;
}

interface StoredOutcome {
  routing: AmendmentRoutingOutcome;
  newlyLinked: number;
  urgent: boolean;
}

/** Without an expected version, an amendment that lost a race is merged again onto the winner's; this often. */
const unexpectedConflictRetries = 3;

const versionContext = (reportId: string, version: number) => `report:${reportId}:version:${version}`;

/**
 * Amends a stored report: the one way every channel (chats, the status page,
 * the form, staff) corrects or adds to what a reporter said. In one
 * transaction it merges the fields, keeps the report as it was as a new
 * encrypted version, audits each changed field (by path, never its value),
 * re-extracts the indicators and their blind index (so the report links to
 * others sharing a new number), and re-routes: an agency newly due joins the
 * case and receives it, an agency already on it receives `case.updated`, and
 * none is taken off.
 */
export class ReportAmendments extends StoreBase {
  readonly #router: CaseRouter | undefined;
  readonly #holdsEvidence: HoldsEvidence;
  readonly #ignored: IgnoredIndicators;
  readonly #afterAmend: () => void;
  readonly #urgentClock: UrgentClockPolicy | undefined;
  readonly #freezeRequests: FreezeRequestSettings;

  constructor(dependencies: ReportAmendmentsDependencies) {
    super(dependencies);
    this.#freezeRequests = dependencies.freezeRequests ?? defaultFreezeRequestSettings;
    this.#router = dependencies.router;
    this.#urgentClock = dependencies.urgentClock;
    this.#holdsEvidence = dependencies.holdsEvidence ?? holdsNoEvidence;
    this.#ignored = dependencies.ignored ?? new IgnoredIndicators();
    this.#afterAmend = dependencies.afterAmend ?? (() => {});
  }

  async amend(request: AmendmentRequest): Promise<AmendmentResult> {
    const amendment = parseReportAmendment(request.changes);
    requireHeldEvidence([...(amendment.evidence ?? []), ...(request.addition?.evidence ?? [])], this.#holdsEvidence);
    const requestHash = createHash('sha256')
      .update(canonicalJson({ reportId: request.reportId, amendment, addition: request.addition ?? null }))
      .digest('base64url');
    for (let attempt = 0; ; attempt += 1) {
      try {
        const { result, deliveries } = await this.db
          .transaction()
          .execute((trx) => this.#amendIn(trx, request, amendment, requestHash));
        if (deliveries > 0) this.#afterAmend();
        return result;
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        // Another amendment of this report committed first, or the same one redelivered at the same moment.
        if (request.idempotency) {
          const earlier = await this.#replay(this.db, request, requestHash);
          if (earlier) return earlier;
        }
        if (request.expectedVersion !== undefined || attempt >= unexpectedConflictRetries) {
          throw new ReportVersionConflictError(
            request.expectedVersion,
            await currentVersion(this.db, request.reportId),
          );
        }
      }
    }
  }

  /** Every amendment of a report, oldest first, each with the report as it was before it. */
  async history(reportId: string): Promise<ReportVersion[]> {
    const rows = await this.db
      .selectFrom('report_versions')
      .select(['version', 'previous_enc', 'changed_fields', 'actor', 'channel', 'created_at'])
      .where('report_id', '=', reportId)
      .orderBy('version')
      .execute();
    return rows.map((row) => ({
      version: row.version,
      amendedAt: row.created_at,
      actor: row.actor,
      channel: row.channel as Channel,
      changedFields: JSON.parse(row.changed_fields) as string[],
      previous: this.cipher.decryptJson(row.previous_enc, versionContext(reportId, row.version)),
    }));
  }

  async #amendIn(
    trx: Transaction<Database>,
    request: AmendmentRequest,
    amendment: ReportAmendment,
    requestHash: string,
  ): Promise<{ result: AmendmentResult; deliveries: number }> {
    const { reportId } = request;
    // PostgreSQL: hold the report row, so amendments (and other writers) of one report take turns.
    // SQLite: every transaction already holds the one write lock.
    const report = await trx
      .selectFrom('reports')
      .select(['reference', 'content_enc', 'indicators_enc'])
      .where('id', '=', reportId)
      .$if(dialectKindOf(trx) === 'postgres', (query) => query.forUpdate())
      .executeTakeFirst();
    if (!report) throw new AmendmentError('report.not_found', 'no such report');
    if (request.idempotency) {
      const earlier = await this.#replay(trx, request, requestHash);
      if (earlier) return { result: earlier, deliveries: 0 };
    }
    const version = await currentVersion(trx, reportId);
    if (request.expectedVersion !== undefined && request.expectedVersion !== version) {
      throw new ReportVersionConflictError(request.expectedVersion, version);
    }

    const content = this.cipher.decryptJson<ReportContent>(report.content_enc, contentContext(reportId));
    const indicators = this.cipher.decryptJson<Indicator[]>(report.indicators_enc, indicatorsContext(reportId));
    const unchanged: StoredOutcome = {
      routing: { added: [], updated: [], noLongerDue: [], dueAfterCorrection: [] },
      newlyLinked: 0,
      urgent: isUrgent(content),
    };
    const at = this.now();
    const timestamp = at.toISOString();
    let merged = mergeAmendment(content, amendment);
    if (request.addition) {
      // A redelivered addition whose text changed nothing has no version to replay: its stored row answers.
      if (request.idempotency && (await additionStored(trx, request.idempotency))) {
        return { result: resultOf(reportId, report.reference, version, [], unchanged, true), deliveries: 0 };
      }
      await storeAddition(trx, this.cipher, {
        reportId,
        ...request.addition,
        channel: request.channel,
        actor: request.actor,
        at,
        ...(request.idempotency ? { idempotency: request.idempotency } : {}),
      });
      const { text } = request.addition;
      // What the text mentions is read with the country the report knows now, after this amendment's own changes.
      const mentioned = text ? parseReportAmendment(additionAmendment(text, merged.content)) : {};
      const withMentions = mergeAmendment(merged.content, mentioned);
      merged = {
        content: withMentions.content,
        changedFields: [...new Set([...merged.changedFields, ...withMentions.changedFields]), 'additions'],
      };
    }
    if (merged.changedFields.length === 0) {
      // Nothing new was said (a chat repeating a number it already gave): no version, no audit, no delivery.
      const result = resultOf(reportId, report.reference, version, [], unchanged, false);
      return { result, deliveries: 0 };
    }
    if (content.consent.shareWithLawEnforcement && merged.content.consent.shareWithLawEnforcement === false) {
      throw new AmendmentError(
        'report.consent_withdrawal',
        'withdrawing consent to share is a withdrawal of the case, not an amendment',
      );
    }
    // The amended report as a whole still has to be a valid report (a list may not outgrow its limit).
    const amended = parseReportInput(merged.content);
    const urgent = isUrgent(amended);
    const next = version + 1;

    const reindexed = await this.#reindex(trx, reportId, indicators, collectReportIndicators(amended), timestamp);
    const routing = await this.#reroute(trx, reportId, amended, { urgent, at, version: next });
    // Urgent for the first time: the clock starts, and agencies that had `case.routed` get `case.urgent` once.
    // Held or in danger anew: a closed case reopens and the clock starts again.
    const urgentDeliveries =
      urgent && this.#urgentClock
        ? await urgentClockAfterAmendment(trx, this.#urgentClock, reportId, {
            actor: request.actor,
            at,
            version: next,
            dangerAnew: saysDangerAnew(content, amended),
          })
        : 0;
    await replaceMuleRows(trx, this.cipher, reportId, amended, {
      at,
      settings: this.#freezeRequests,
      actor: request.actor,
    });
    const outcome: StoredOutcome = { routing: routing.outcome, newlyLinked: reindexed.newlyLinked, urgent };

    // The version row first: of two amendments racing for one version, the second fails here.
    await trx
      .insertInto('report_versions')
      .values({
        report_id: reportId,
        version: next,
        previous_enc: this.cipher.encryptJson({ content, indicators }, versionContext(reportId, next)),
        changed_fields: JSON.stringify(merged.changedFields),
        outcome: JSON.stringify(outcome),
        actor: request.actor,
        channel: request.channel,
        idempotency_scope: request.idempotency?.scope ?? null,
        idempotency_key: request.idempotency?.key ?? null,
        request_hash: request.idempotency ? requestHash : null,
        created_at: timestamp,
      })
      .execute();
    await trx
      .updateTable('reports')
      .set({
        ...reportContentColumns(this.cipher, reportId, amended, reindexed.indicators),
        updated_at: timestamp,
      })
      .where('id', '=', reportId)
      .execute();

    const audit = (action: string, detail: Record<string, unknown>) =>
      appendAuditEvent(trx, { actor: request.actor, action, reportId, at, detail: { version: next, ...detail } });
    await audit('report.amended', {
      channel: request.channel,
      fields: merged.changedFields.length,
      indicatorsAdded: reindexed.added,
      indicatorsRemoved: reindexed.removed,
      newlyLinked: reindexed.newlyLinked,
      deliveries: routing.deliveries,
    });
    for (const field of merged.changedFields) await audit('report.field_amended', { field });
    for (const agency of routing.plan?.added ?? []) {
      await audit('routing.agency_added', { agencyId: agency.agencyId, role: agency.role });
    }
    for (const agencyId of routing.plan?.noLongerDue ?? []) await audit('routing.agency_no_longer_due', { agencyId });
    for (const agencyId of routing.plan?.dueAfterCorrection ?? []) {
      await audit('routing.agency_due_after_correction', { agencyId });
    }
    const result = resultOf(reportId, report.reference, next, merged.changedFields, outcome, false);
    return { result, deliveries: routing.deliveries + urgentDeliveries };
  }

  /**
   * Makes the report's indicators and their blind index what the amended
   * report says: values it now mentions are added, values it no longer
   * mentions (a corrected number) stop linking it. The report as it was,
   * indicators included, is kept in its version.
   */
  async #reindex(
    trx: Transaction<Database>,
    reportId: string,
    before: Indicator[],
    after: Indicator[],
    timestamp: string,
  ): Promise<{ indicators: Indicator[]; added: number; removed: number; newlyLinked: number }> {
    const hashOf = (indicator: Indicator) => indicatorBlindIndex(this.cipher, indicator.kind, indicator.value);
    const beforeHashes = new Set(before.map(hashOf));
    const afterHashes = new Set(after.map(hashOf));
    const added = after.filter((indicator) => !beforeHashes.has(hashOf(indicator)));
    const removedHashes = [...beforeHashes].filter((hash) => !afterHashes.has(hash));
    const linking = (indicators: Indicator[]) =>
      indicators
        .filter((indicator) => !nonLinkingKinds.has(indicator.kind) && !this.#ignored.has(indicator))
        .map(hashOf);
    const linkedBefore = await otherReportsSharing(trx, reportId, linking(before));
    if (removedHashes.length > 0) {
      await trx
        .deleteFrom('report_indicators')
        .where('report_id', '=', reportId)
        .where('value_hash', 'in', removedHashes)
        .execute();
    }
    if (added.length > 0) {
      await trx
        .insertInto('report_indicators')
        .values(indicatorIndexRows(this.cipher, reportId, added, timestamp))
        .execute();
    }
    const linkedAfter = await otherReportsSharing(trx, reportId, linking(after));
    const newlyLinked = [...linkedAfter].filter((otherId) => !linkedBefore.has(otherId)).length;
    return { indicators: after, added: added.length, removed: removedHashes.length, newlyLinked };
  }

  async #reroute(
    trx: Transaction<Database>,
    reportId: string,
    amended: ReportContent,
    options: { urgent: boolean; at: Date; version: number },
  ): Promise<{ outcome: AmendmentRoutingOutcome; deliveries: number; plan?: AmendmentRouting }> {
    const none = { added: [], updated: [], noLongerDue: [], dueAfterCorrection: [] };
    if (!this.#router) return { outcome: none, deliveries: 0 };
    const plan = this.#router(amended);
    const timestamp = options.at.toISOString();
    const planRows = routingRows(reportId, plan, {
      urgent: options.urgent,
      at: options.at,
      plannedBy: 'rules',
      cipher: this.cipher,
    });
    const stored = await trx
      .selectFrom('report_routing')
      .select(['planned_by'])
      .where('report_id', '=', reportId)
      .executeTakeFirst();
    // One after the other: a transaction is one connection, which runs one query at a time anyway (pg 9 refuses
    // a second query sent while one runs).
    const agencies = await trx
      .selectFrom('report_agencies')
      .select(['agency_id', 'role'])
      .where('report_id', '=', reportId)
      .execute();
    const deliveries = await trx
      .selectFrom('deliveries')
      .select(['agency_id', 'method', 'status'])
      .where('report_id', '=', reportId)
      .execute();
    const plannedByRules = stored === undefined || stored.planned_by === 'rules';
    const changes = amendmentRouting(
      {
        agencies: agencies.map((row) => ({ agencyId: row.agency_id, role: row.role })),
        deliveries: deliveries.map((row) => ({
          agencyId: row.agency_id,
          method: row.method as DeliveryMethod,
          status: row.status,
        })),
        plannedByRules,
      },
      plan,
    );

    const [routingRow] = planRows.report_routing ?? [];
    if (!stored && routingRow) {
      await trx.insertInto('report_routing').values(routingRow).execute();
    } else if (routingRow) {
      // The rules' reasons for the amended report, unless a person chose the routing; consent is the reporter's.
      await trx
        .updateTable('report_routing')
        .set(
          plannedByRules
            ? { decision_enc: routingRow.decision_enc, withheld: routingRow.withheld, planned_at: timestamp }
            : { withheld: routingRow.withheld },
        )
        .where('report_id', '=', reportId)
        .execute();
    }
    if (changes.added.length > 0) {
      await trx
        .insertInto('report_agencies')
        .values(
          changes.added.map((agency) => ({
            report_id: reportId,
            agency_id: agency.agencyId,
            role: agency.role,
            created_at: timestamp,
          })),
        )
        .execute();
    }
    if (changes.deliveries.length > 0) {
      const rows = changes.deliveries.map((delivery) => ({
        ...outboxRow(reportId, delivery, options.urgent, timestamp),
        event: delivery.event,
      }));
      await trx
        .insertInto('deliveries')
        .values(rows.map(({ event: _event, ...row }) => row))
        .execute();
      const updates = rows.filter((row) => row.event === 'updated');
      if (updates.length > 0) {
        await trx
          .insertInto('delivery_events')
          .values(
            updates.map((row) => ({
              delivery_id: row.id,
              event_type: caseEventTypes.updated,
              report_version: options.version,
            })),
          )
          .execute();
      }
    }
    const updated = [
      ...new Set(changes.deliveries.filter((item) => item.event === 'updated').map((item) => item.agencyId)),
    ];
    return {
      outcome: {
        added: changes.added.map((agency) => agency.agencyId),
        updated,
        noLongerDue: changes.noLongerDue,
        dueAfterCorrection: changes.dueAfterCorrection,
      },
      deliveries: changes.deliveries.length,
      plan: changes,
    };
  }

  async #replay(
    db: Kysely<Database>,
    request: AmendmentRequest,
    requestHash: string,
  ): Promise<AmendmentResult | undefined> {
    if (!request.idempotency) return undefined;
    const row = await db
      .selectFrom('report_versions')
      .innerJoin('reports', 'reports.id', 'report_versions.report_id')
      .select([
        'report_versions.report_id',
        'report_versions.version',
        'report_versions.changed_fields',
        'report_versions.outcome',
        'report_versions.request_hash',
        'reports.reference',
      ])
      .where('report_versions.idempotency_scope', '=', request.idempotency.scope)
      .where('report_versions.idempotency_key', '=', request.idempotency.key)
      .executeTakeFirst();
    if (!row) return undefined;
    if (row.request_hash !== requestHash) throw new IdempotencyConflictError();
    return resultOf(
      row.report_id,
      row.reference,
      row.version,
      JSON.parse(row.changed_fields) as string[],
      JSON.parse(row.outcome) as StoredOutcome,
      true,
    );
  }
}

function resultOf(
  reportId: string,
  reference: string,
  version: number,
  changedFields: string[],
  outcome: StoredOutcome,
  replayed: boolean,
): AmendmentResult {
  return {
    reportId,
    reference,
    version,
    changedFields,
    urgent: outcome.urgent,
    routing: outcome.routing,
    newlyLinked: outcome.newlyLinked,
    replayed,
  };
}

/** A report's version: 0 as submitted, one more for each amendment. */
async function currentVersion(db: Kysely<Database>, reportId: string): Promise<number> {
  const row = await db
    .selectFrom('report_versions')
    .select(sql<number | string | null>`max(version)`.as('version'))
    .where('report_id', '=', reportId)
    .executeTakeFirst();
  return Number(row?.version ?? 0);
}

/** Every other report carrying one of these blind-index values. */
async function otherReportsSharing(db: Kysely<Database>, reportId: string, hashes: string[]): Promise<Set<string>> {
  if (hashes.length === 0) return new Set();
  const rows = await db
    .selectFrom('report_indicators')
    .select('report_id')
    .distinct()
    .where('value_hash', 'in', [...new Set(hashes)])
    .where('report_id', '!=', reportId)
    .execute();
  return new Set(rows.map((row) => row.report_id));
}
