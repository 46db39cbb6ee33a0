import type { i18n } from 'i18next';
import { appendAuditEvent } from '../store/audit-log.js';
import type { LanguageCode } from '../i18n/languages.js';
import {
  agencyActionKinds,
  agencyCaseNoteContext,
  agencyReasonContext,
  type AgencyDecision,
} from './agency-responses.js';
import type { CaseActor } from './case-actor.js';
import { requireCase, type CaseHandle } from './case-access.js';
import { CaseError } from './case-error.js';
import { moveCaseStatus } from './change-case-status.js';
import type { ReporterMessages } from './reporter-messages.js';
import { inCaseTransaction, touchCase, type CaseDependencies, type CaseTransaction } from './case-transaction.js';
import { agencyAnswerOnClock } from '../urgent/agency-answer-on-clock.js';

export interface AgencyAnswerParts {
  messenger: ReporterMessages;
  i18n: i18n;
  agencyName: (agencyId: string, language: LanguageCode) => string;
}

/** The agency an account answers for; anyone else may not answer for an agency. */
function agencyOf(actor: CaseActor): string {
  if (actor.role !== 'agency' || !actor.agencyId) throw new CaseError('case.not_found');
  return actor.agencyId;
}

async function upsertAgencyState(
  trx: CaseTransaction,
  found: CaseHandle,
  agencyId: string,
  change: { decision?: string; reason_enc?: string | null; case_number?: string },
  actor: string,
  at: Date,
): Promise<void> {
  const timestamp = at.toISOString();
  const updated = await trx
    .updateTable('agency_case_states')
    .set({ ...change, updated_at: timestamp, updated_by: actor })
    .where('report_id', '=', found.reportId)
    .where('agency_id', '=', agencyId)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0) {
    await trx
      .insertInto('agency_case_states')
      .values({
        report_id: found.reportId,
        agency_id: agencyId,
        decision: change.decision ?? null,
        reason_enc: change.reason_enc ?? null,
        case_number: change.case_number ?? null,
        updated_at: timestamp,
        updated_by: actor,
      })
      .execute();
  }
  await touchCase(trx, found.reportId, at);
}

/** Tells the reporter, in the language they reported in, what the agency did: in the same transaction. */
async function tellReporter(
  trx: CaseTransaction,
  parts: AgencyAnswerParts,
  found: CaseHandle,
  agencyId: string,
  key: string,
): Promise<void> {
  const { language } = await trx
    .selectFrom('reports')
    .select('language')
    .where('id', '=', found.reportId)
    .executeTakeFirstOrThrow();
  const text = parts.i18n.getFixedT(language, 'messages')(key, {
    agency: parts.agencyName(agencyId, language as LanguageCode),
    reference: found.reference,
  });
  await parts.messenger.send(found.reportId, text, `agency:${agencyId}`, { trx });
}

/**
 * An agency takes a referral or declines it (a refusal gives its reason, read
 * by the hotline only, to route again). Taking it moves a case still being
 * triaged on to `with_agency` and tells the reporter; all in one transaction.
 */
export async function decideReferral(
  dependencies: CaseDependencies,
  parts: AgencyAnswerParts,
  actor: CaseActor,
  reference: string,
  answer: { decision: string; reason?: string | undefined },
): Promise<AgencyDecision> {
  const agencyId = agencyOf(actor);
  if (answer.decision !== 'accepted' && answer.decision !== 'declined') throw new CaseError('agency.invalid_decision');
  const decision: AgencyDecision = answer.decision;
  const why = answer.reason?.trim() || undefined;
  if (decision === 'declined' && !why) throw new CaseError('agency.reason_required');
  await inCaseTransaction(dependencies, async (trx, at) => {
    const found = await requireCase(trx, actor, reference);
    const reasonEnc = why ? dependencies.cipher.encrypt(why, agencyReasonContext(found.reportId, agencyId)) : null;
    await upsertAgencyState(trx, found, agencyId, { decision, reason_enc: reasonEnc }, actor.auditId, at);
    await appendAuditEvent(trx, {
      actor: actor.auditId,
      action: `agency.${decision}`,
      reportId: found.reportId,
      at,
      detail: { agencyId },
    });
    // The awaited agency's answer on an urgent case stops its clock, or (declined) offers the case on at once.
    await agencyAnswerOnClock(trx, { reportId: found.reportId, agencyId, decision, actor: actor.auditId, at });
    if (decision === 'accepted') {
      await moveCaseStatus(trx, {
        reportId: found.reportId,
        to: 'with_agency',
        actor: actor.auditId,
        at,
        onlyFrom: ['new', 'triaging', 'referred'],
      });
      await tellReporter(trx, parts, found, agencyId, 'updates.accepted');
    }
  });
  return decision;
}

/** The agency's own number for the case. */
export async function setAgencyCaseNumber(
  dependencies: CaseDependencies,
  actor: CaseActor,
  reference: string,
  caseNumber: string,
): Promise<void> {
  const agencyId = agencyOf(actor);
  const value = caseNumber.trim();
  if (!value || value.length > 100) throw new CaseError('agency.case_number_invalid');
  await inCaseTransaction(dependencies, async (trx, at) => {
    const found = await requireCase(trx, actor, reference);
    await upsertAgencyState(trx, found, agencyId, { case_number: value }, actor.auditId, at);
    await appendAuditEvent(trx, {
      actor: actor.auditId,
      action: 'agency.case_number_set',
      reportId: found.reportId,
      at,
      detail: { agencyId },
    });
  });
}

/** Something the agency did on the case, told to the reporter in their language in the same transaction. */
export async function recordAgencyAction(
  dependencies: CaseDependencies,
  parts: AgencyAnswerParts,
  actor: CaseActor,
  reference: string,
  record: { action: string; note?: string | undefined },
): Promise<void> {
  const agencyId = agencyOf(actor);
  if (!(agencyActionKinds as readonly string[]).includes(record.action)) throw new CaseError('agency.invalid_action');
  const text = record.note?.trim() || undefined;
  await inCaseTransaction(dependencies, async (trx, at) => {
    const found = await requireCase(trx, actor, reference);
    await trx
      .insertInto('agency_actions')
      .values({
        report_id: found.reportId,
        agency_id: agencyId,
        action: record.action,
        note_enc: text ? dependencies.cipher.encrypt(text, agencyCaseNoteContext(found.reportId, agencyId)) : null,
        actor: actor.auditId,
        created_at: at.toISOString(),
      })
      .execute();
    await touchCase(trx, found.reportId, at);
    await appendAuditEvent(trx, {
      actor: actor.auditId,
      action: 'agency.action_recorded',
      reportId: found.reportId,
      at,
      detail: { agencyId, action: record.action },
    });
    await tellReporter(trx, parts, found, agencyId, `updates.actions.${record.action}`);
  });
}
