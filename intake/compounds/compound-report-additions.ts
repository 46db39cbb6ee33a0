import type { Kysely } from 'kysely';
import type { FieldCipher } from '../crypto/field-cipher.js';
import type { Database } from '../store/database.js';
import { additionContext } from '../store/report-followups.js';

/**
 * The texts reporters added later to these reports (`/add` in a chat, the web
 * chat, the status page), by report, oldest first, read in one query for a
 * page of reports. An addition that cannot be read (written under another
 * data key) is reported through `unreadable` and left out; the rest of its
 * report is still matched.
 */
export async function additionTextsOf(
  db: Kysely<Database>,
  cipher: FieldCipher,
  reportIds: readonly string[],
  unreadable: (error: unknown) => void,
): Promise<Map<string, string[]>> {
  const texts = new Map<string, string[]>();
  if (reportIds.length === 0) return texts;
  const rows = await db
    .selectFrom('report_additions')
    .select(['report_id', 'content_enc'])
    .where('report_id', 'in', [...new Set(reportIds)])
    .orderBy('id')
    .execute();
  for (const row of rows) {
    try {
      const { text } = cipher.decryptJson<{ text?: string }>(row.content_enc, additionContext(row.report_id));
      if (text) texts.set(row.report_id, [...(texts.get(row.report_id) ?? []), text]);
    } catch (error) {
      unreadable(error);
    }
  }
  return texts;
}
