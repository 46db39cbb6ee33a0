import type { FieldCipher } from '../crypto/field-cipher.js';
import { appendAuditEvent } from '../store/audit-log.js';
import type { CaseActor } from './case-actor.js';
import { requireCase, requireStaff } from './case-access.js';
import { CaseError } from './case-error.js';
import { inCaseTransaction, touchCase, type CaseDependencies, type CaseTransaction } from './case-transaction.js';

/** What a note's ciphertext is bound to: its case. */
export const caseNoteContext = (reportId: string) => `report:${reportId}:note`;

/** Writes an internal note inside the caller's transaction, with its audit event. */
export async function appendCaseNote(
  trx: CaseTransaction,
  cipher: FieldCipher,
  note: { reportId: string; text: string; author: string; at: Date },
): Promise<void> {
  await trx
    .insertInto('case_notes')
    .values({
      report_id: note.reportId,
      author: note.author,
      body_enc: cipher.encrypt(note.text, caseNoteContext(note.reportId)),
      created_at: note.at.toISOString(),
    })
    .execute();
  await touchCase(trx, note.reportId, note.at);
  await appendAuditEvent(trx, { actor: note.author, action: 'case.note_added', reportId: note.reportId, at: note.at });
}

/** An internal note staff keep for each other on a case (never shown to the reporter or an agency). */
export async function addCaseNote(
  dependencies: CaseDependencies,
  actor: CaseActor,
  reference: string,
  body: string,
): Promise<void> {
  requireStaff(actor);
  const text = body.trim();
  if (!text) throw new CaseError('case.empty_note');
  await inCaseTransaction(dependencies, async (trx, at) => {
    const { reportId } = await requireCase(trx, actor, reference);
    await appendCaseNote(trx, dependencies.cipher, { reportId, text, author: actor.auditId, at });
  });
}
