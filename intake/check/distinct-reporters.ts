import type { Kysely } from 'kysely';
import type { FieldCipher } from '../crypto/field-cipher.js';
import { normalizeIndicator } from '../indicators/normalize-indicator.js';
import type { ReportContent } from '../report/report-schema.js';
import type { Database } from '../store/database.js';
import { contentContext } from '../store/report-store.js';

/** Who stands behind an indicator: how many distinct reporters, through how many reports, the last one when. */
export interface ReportersBehind {
  reporters: number;
  reports: number;
  lastReportedAt: string;
}

/** The idempotency scope a chat conversation submits its report under (intake/conversation/conversation-runner.ts). */
const conversationScope = 'conversation';

/**
 * Distinct reporters behind each blind index, not reports: one person who
 * reports the same number three times is one reporter. A reporter is
 * identified, in this order, by
 * 1. the chat conversation that submitted the report (Telegram, LINE, the web
 *    chat: one conversation per person per channel, found by the submission's
 *    idempotency key `<conversation id>:<n>`);
 * 2. else the reporter's own phone or contact as they gave it (normalized, so
 *    the form sent twice with the same number counts once);
 * 3. else the report itself (a form or API report without a contact: nothing
 *    tells two of them apart, which is why a warning needs staff too).
 * Withdrawn reports and reports staff marked as duplicates do not count. The
 * identities are kept in memory for the count and never stored.
 */
export async function reportersBehind(
  parts: { db: Kysely<Database>; cipher: FieldCipher },
  valueHashes: readonly string[],
): Promise<Map<string, ReportersBehind>> {
  const { db } = parts;
  const behind = new Map<string, ReportersBehind>();
  if (valueHashes.length === 0) return behind;
  const rows = await db
    .selectFrom('report_indicators as ri')
    .innerJoin('reports as r', 'r.id', 'ri.report_id')
    .leftJoin('idempotency_keys as ik', (join) =>
      join.onRef('ik.report_id', '=', 'r.id').on('ik.scope', '=', conversationScope),
    )
    .select(['ri.value_hash as valueHash', 'r.id as reportId', 'r.created_at as createdAt', 'ik.key as submissionKey'])
    .distinct()
    .where('ri.value_hash', 'in', [...valueHashes])
    .where('r.withdrawn_at', 'is', null)
    .where('r.status', '!=', 'duplicate')
    .execute();

  const withoutChat = [...new Set(rows.filter((row) => !row.submissionKey).map((row) => row.reportId))];
  const contactOf = await reporterContacts(parts, withoutChat);
  const identities = new Map<string, { reporters: Set<string>; reports: Set<string>; last: string }>();
  for (const row of rows) {
    const identity = row.submissionKey
      ? `conversation:${row.submissionKey.slice(0, Math.max(0, row.submissionKey.lastIndexOf(':')))}`
      : (contactOf.get(row.reportId) ?? `report:${row.reportId}`);
    const entry = identities.get(row.valueHash) ?? { reporters: new Set(), reports: new Set(), last: '' };
    entry.reporters.add(identity);
    entry.reports.add(row.reportId);
    if (row.createdAt > entry.last) entry.last = row.createdAt;
    identities.set(row.valueHash, entry);
  }
  for (const [hash, entry] of identities)
    behind.set(hash, { reporters: entry.reporters.size, reports: entry.reports.size, lastReportedAt: entry.last });
  return behind;
}

/** The reporter's own phone or contact of each report that gave one, as a keyed hash of its normalized form. */
async function reporterContacts(
  parts: { db: Kysely<Database>; cipher: FieldCipher },
  reportIds: string[],
): Promise<Map<string, string>> {
  const contacts = new Map<string, string>();
  for (let start = 0; start < reportIds.length; start += 500) {
    const rows = await parts.db
      .selectFrom('reports')
      .select(['id', 'content_enc'])
      .where('id', 'in', reportIds.slice(start, start + 500))
      .execute();
    for (const row of rows) {
      const { reporter } = parts.cipher.decryptJson<ReportContent>(row.content_enc, contentContext(row.id));
      const given = reporter.phone ?? reporter.contact;
      if (!given) continue;
      const normalized =
        normalizeIndicator('phone', given)?.value ??
        normalizeIndicator('email', given)?.value ??
        given.trim().toLowerCase();
      contacts.set(row.id, `contact:${parts.cipher.blindIndex('check-reporter', normalized)}`);
    }
  }
  return contacts;
}
