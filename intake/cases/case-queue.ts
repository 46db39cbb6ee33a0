import type { Kysely } from 'kysely';
import { reportsWithRecoveryAgent } from '../check/recovery-agent-flags.js';
import type { FieldCipher } from '../crypto/field-cipher.js';
import { safetyFlags, type LossAtAGlance, type SafetyFlag } from '../report/report-glance.js';
import { reportStatuses, type ReportStatus } from '../report/report-schema.js';
import type { Database } from '../store/database.js';
import type { IndicatorLinks } from '../store/indicator-links.js';
import { decodeCursor, encodeCursor } from '../store/keyset-cursor.js';
import { storyLineContext } from '../store/report-glance-columns.js';
import { isStaff, type CaseActor } from './case-actor.js';
import { glanceAtLinks, type StrongestShared } from './queue-glance.js';

/** Statuses a case is still being worked in; the queue shows these unless asked otherwise. */
export const openStatuses: readonly ReportStatus[] = ['new', 'triaging', 'referred', 'with_agency'];

/** The value of `reports.in_queue` for a status: written with every status change. */
export function inQueue(status: string): number {
  return (openStatuses as readonly string[]).includes(status) ? 1 : 0;
}

export interface QueueFilters {
  /** One status, or `open` (the default) for every status still being worked. */
  status?: ReportStatus | 'open' | 'all';
  category?: string;
  /** Where the victim is now. */
  country?: string;
  channel?: string;
  language?: string;
  /** Cases routed to this agency. */
  agencyId?: string;
  assignedTo?: string;
  /** `only`: the cases their reporter withdrew; `hide`: all but those. Unset: both. */
  withdrawn?: 'only' | 'hide';
}

export interface QueueEntry {
  reportId: string;
  reference: string;
  urgent: boolean;
  status: ReportStatus;
  category: string | null;
  country: string | null;
  channel: string;
  language: string;
  consentShare: boolean;
  assignedTo: string | null;
  createdAt: string;
  updatedAt: string;
  /** Held now, in danger, a minor, passport taken: those the reporter said yes to, in that order. */
  flags: SafetyFlag[];
  loss: LossAtAGlance | null;
  /** When the reporter withdrew the case (it is kept); null while it stands. */
  withdrawnAt: string | null;
}

/** A queue row as a worker sees it: with its links and, for those who may read the story, its first line. */
export interface QueueRow extends QueueEntry {
  linkedCount: number;
  strongest: StrongestShared | null;
  /** Undefined when the viewer may not read stories; null when the reporter told none. */
  storyLine?: string | null;
  /** It carries an indicator staff confirmed as a recovery agent (computed on read, intake/check/). */
  recoveryAgent: boolean;
}

/** The list the queue's cursors belong to. */
const queueList = 'case-queue';

/** A position in the queue: after this case, in queue order (urgent is the tier). */
function cursorAfter(entry: QueueEntry): string {
  return encodeCursor(queueList, { tier: entry.urgent ? 1 : 0, at: entry.createdAt, id: entry.reportId });
}

/**
 * The hotline's queue: urgent cases first, then the oldest, a page at a time.
 * It reads only the report row's plain columns (no personal data, nothing to
 * decrypt), and pages by position rather than by offset, so the hundredth
 * page costs what the first does, however many reports are stored.
 */
export async function listCaseQueue(
  db: Kysely<Database>,
  filters: QueueFilters,
  page: { limit: number; cursor?: string },
): Promise<{ entries: QueueEntry[]; nextCursor: string | null }> {
  let query = db
    .selectFrom('reports')
    .select([
      'reports.id as reportId',
      'reports.reference',
      'reports.urgent',
      'reports.status',
      'reports.category',
      'reports.current_country as country',
      'reports.channel',
      'reports.language',
      'reports.consent_share as consentShare',
      'reports.assigned_to as assignedTo',
      'reports.created_at as createdAt',
      'reports.updated_at as updatedAt',
      'reports.withdrawn_at as withdrawnAt',
      'reports.safety_flags as safetyFlags',
      'reports.loss_amount as lossAmount',
      'reports.loss_currency as lossCurrency',
      'reports.loss_other_currencies as lossOtherCurrencies',
    ])
    .orderBy('reports.urgent', 'desc')
    .orderBy('reports.created_at', 'asc')
    .orderBy('reports.id', 'asc')
    .limit(page.limit + 1);
  const status = filters.status ?? 'open';
  if (status === 'open') query = query.where('reports.in_queue', '=', 1);
  else if (status !== 'all' && (reportStatuses as readonly string[]).includes(status))
    query = query.where('reports.status', '=', status);
  if (filters.category) query = query.where('reports.category', '=', filters.category);
  if (filters.country) query = query.where('reports.current_country', '=', filters.country);
  if (filters.channel) query = query.where('reports.channel', '=', filters.channel);
  if (filters.language) query = query.where('reports.language', '=', filters.language);
  if (filters.assignedTo) query = query.where('reports.assigned_to', '=', filters.assignedTo);
  if (filters.withdrawn === 'only') query = query.where('reports.withdrawn_at', 'is not', null);
  if (filters.withdrawn === 'hide') query = query.where('reports.withdrawn_at', 'is', null);
  if (filters.agencyId) {
    const agencyId = filters.agencyId;
    query = query.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('report_agencies')
          .select('report_agencies.report_id')
          .whereRef('report_agencies.report_id', '=', 'reports.id')
          .where('report_agencies.agency_id', '=', agencyId),
      ),
    );
  }
  if (page.cursor) {
    const { tier: urgent, at: createdAt, id } = decodeCursor(queueList, page.cursor);
    // After the cursor in (urgent desc, created_at asc, id asc) order.
    query = query.where((eb) =>
      eb.or([
        eb('reports.urgent', '<', urgent),
        eb.and([eb('reports.urgent', '=', urgent), eb('reports.created_at', '>', createdAt)]),
        eb.and([
          eb('reports.urgent', '=', urgent),
          eb('reports.created_at', '=', createdAt),
          eb('reports.id', '>', id),
        ]),
      ]),
    );
  }
  const rows = await query.execute();
  const entries = rows
    .slice(0, page.limit)
    .map(({ safetyFlags: flags, lossAmount, lossCurrency, lossOtherCurrencies, ...row }) => ({
      ...row,
      urgent: row.urgent === 1,
      status: row.status as ReportStatus,
      consentShare: row.consentShare === 1,
      flags: safetyFlags.filter((flag) => flags.split(',').includes(flag)),
      loss:
        lossAmount !== null && lossCurrency !== null
          ? { amount: Number(lossAmount), currency: lossCurrency, otherCurrencies: lossOtherCurrencies }
          : null,
    }));
  const last = entries[entries.length - 1];
  return { entries, nextCursor: rows.length > page.limit && last ? cursorAfter(last) : null };
}

/**
 * A queue page as a worker reads it: each row with how many reports it is
 * linked to and the indicator shared most, and the story's first line only
 * for those who may read the story (hotline staff, as `viewCase` allows;
 * each row's first line is decrypted alone, never the whole report).
 */
export async function readCaseQueue(
  parts: { db: Kysely<Database>; cipher: FieldCipher; links: Pick<IndicatorLinks, 'links'> },
  viewer: CaseActor,
  filters: QueueFilters,
  page: { limit: number; cursor?: string },
): Promise<{ entries: QueueRow[]; nextCursor: string | null }> {
  const { entries, nextCursor } = await listCaseQueue(parts.db, filters, page);
  const ids = entries.map((entry) => entry.reportId);
  const readsStories = isStaff(viewer);
  const [links, stories, recovery] = await Promise.all([
    glanceAtLinks(parts, ids),
    readsStories && ids.length > 0
      ? parts.db.selectFrom('reports').select(['id', 'story_line_enc']).where('id', 'in', ids).execute()
      : Promise.resolve([]),
    reportsWithRecoveryAgent(parts.db, ids),
  ]);
  const storyOf = new Map(
    stories.map((row) => [
      row.id,
      row.story_line_enc === null ? null : parts.cipher.decrypt(row.story_line_enc, storyLineContext(row.id)),
    ]),
  );
  return {
    nextCursor,
    entries: entries.map((entry) => ({
      ...entry,
      linkedCount: links.get(entry.reportId)?.linkedCount ?? 0,
      strongest: links.get(entry.reportId)?.strongest ?? null,
      recoveryAgent: recovery.has(entry.reportId),
      ...(readsStories ? { storyLine: storyOf.get(entry.reportId) ?? null } : {}),
    })),
  };
}
