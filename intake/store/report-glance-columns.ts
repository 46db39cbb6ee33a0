import type { Kysely } from 'kysely';
import type { FieldCipher } from '../crypto/field-cipher.js';
import { lossOf, safetyFlagsOf, storyLineOf } from '../report/report-glance.js';
import type { ReportContent } from '../report/report-schema.js';
import type { Database } from './database.js';
import { contentContext } from './report-store.js';

/**
 * The version of what the glance columns hold: 1 the flags of migration 0017, 2 with `likely_trafficking` (the
 * trafficking screening's rule, which also reads the held and passport answers of older reports). Rows of an older
 * version are filled in again.
 */
export const currentGlanceVersion = 2;

/** The story's first line has its own context: a queue reads it without decrypting the whole report. */
export const storyLineContext = (reportId: string) => `report:${reportId}:story-line`;

/**
 * What the staff queue shows of a report without opening it (migration
 * 0017): its safety flags and loss in the clear, like its urgency and
 * category; the first line of its story encrypted, like the rest of it.
 */
export function reportGlanceColumns(cipher: FieldCipher, reportId: string, content: ReportContent) {
  const loss = lossOf(content);
  const storyLine = storyLineOf(content);
  return {
    safety_flags: safetyFlagsOf(content).join(','),
    loss_amount: loss?.amount ?? null,
    loss_currency: loss?.currency ?? null,
    loss_other_currencies: loss?.otherCurrencies ?? 0,
    story_line_enc: storyLine === null ? null : cipher.encrypt(storyLine, storyLineContext(reportId)),
    glance_version: currentGlanceVersion,
  };
}

/**
 * Fills in the glance columns of reports stored before migration 0017, a
 * batch at a time, each batch in one transaction; a report whose content
 * cannot be decrypted (another key) is marked -1 and left as it was, so it
 * is not tried again at every start. Returns how many were filled in.
 */
export async function backfillReportGlance(
  db: Kysely<Database>,
  cipher: FieldCipher,
  options: { batch?: number } = {},
): Promise<{ filled: number; unreadable: number }> {
  const batch = options.batch ?? 500;
  let filled = 0;
  let unreadable = 0;
  for (;;) {
    const rows = await db
      .selectFrom('reports')
      .select(['id', 'content_enc', 'glance_version'])
      .where('glance_version', '>=', 0)
      .where('glance_version', '<', currentGlanceVersion)
      .orderBy('id')
      .limit(batch)
      .execute();
    if (rows.length === 0) return { filled, unreadable };
    await db.transaction().execute(async (trx) => {
      for (const row of rows) {
        let columns: Partial<ReturnType<typeof reportGlanceColumns>> | { glance_version: number };
        try {
          const content = cipher.decryptJson<ReportContent>(row.content_enc, contentContext(row.id));
          columns = reportGlanceColumns(cipher, row.id, content);
          filled += 1;
        } catch {
          columns = { glance_version: -1 };
          unreadable += 1;
        }
        await trx
          .updateTable('reports')
          .set(columns)
          .where('id', '=', row.id)
          .where('glance_version', '=', row.glance_version)
          .execute();
      }
    });
  }
}
