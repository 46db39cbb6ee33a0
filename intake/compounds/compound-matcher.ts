import { sql, type Kysely } from 'kysely';
import { systemClock, type Clock } from '../clock.js';
import type { FieldCipher } from '../crypto/field-cipher.js';
import type { ReportContent } from '../report/report-schema.js';
import type { Database } from '../store/database.js';
import type { IndicatorLinks } from '../store/indicator-links.js';
import { contentContext } from '../store/report-store.js';
import {
  matchableCompound,
  matchableReport,
  matchReport,
  type CompoundMatch,
  type MatchableCompound,
  type MatchableReport,
} from './compound-matching.js';
import { recordProposals } from './compound-proposals.js';
import { additionTextsOf } from './compound-report-additions.js';
import { compoundOfRow } from './compound-rows.js';
import { PollingLoop } from '../polling-loop.js';
import { dialectKindOf } from '../store/dialect/dialect-kind.js';

/** Metres around a compound within which a shared location proposes it (REPORTLINE_COMPOUND_RADIUS_METERS). */
export const defaultCompoundRadiusMeters = 1000;

/** Reports read and decrypted per page. */
const pageSize = 200;

/**
 * An instance that finds another's round under way looks again this much later: that round may have read its
 * page before the report this instance just stored was committed.
 */
const lookAgainAfterMs = 250;

export interface CompoundMatcherOptions {
  db: Kysely<Database>;
  cipher: FieldCipher;
  links: IndicatorLinks;
  radiusMeters?: number;
  now?: Clock;
  onError?: (error: unknown) => void;
}

/**
 * Proposes compounds for cases, in the background, from what the database
 * says is not yet looked at, so nothing depends on a hook having run: a
 * report stored, amended or added to (a trigger on reports made it due in
 * `compound_scans_due`, in the writer's own transaction) is matched against
 * every compound, with the words its reporter added later, reading only the
 * reports due, never every report; a compound added, edited
 * or given a confirmed case (its `revision` is ahead of `matched_revision`)
 * is matched against every report. Proposals are rows keyed by compound and
 * report, written with "do nothing on conflict": a round repeated after a
 * crash, or run by two instances at once, proposes nothing twice, and never
 * again a proposal staff rejected.
 *
 * Shared indicators: a report linked (as the links of the case page say:
 * by a shared linking indicator, or by hand) to a case confirmed on a
 * compound is proposed for that compound, when either of the two is looked
 * at: a confirmation touches its case, so the case is looked at again and
 * its linked reports are proposed, durably, without reading every report.
 */
export class CompoundMatcher {
  readonly #db: Kysely<Database>;
  readonly #cipher: FieldCipher;
  readonly #links: IndicatorLinks;
  readonly #radiusMeters: number;
  readonly #now: Clock;
  readonly #onError: (error: unknown) => void;
  readonly #loop: PollingLoop;
  /** Set by stop(): the round in hand ends after its page in hand (runOnce alone, as tests call it, runs through). */
  #stopping = false;
  /**
   * Set while a look-again is due (another instance held the round): a nudge meanwhile needs no round of its own,
   * since the look-again starts after it and tries until it gets the round. With three instances, each report
   * nudged its own instance's matcher and two in three of those rounds only found the lock taken.
   */
  #lookAgainDue = false;

  constructor(options: CompoundMatcherOptions) {
    this.#db = options.db;
    this.#cipher = options.cipher;
    this.#links = options.links;
    this.#radiusMeters = options.radiusMeters ?? defaultCompoundRadiusMeters;
    this.#now = options.now ?? systemClock;
    this.#onError = options.onError ?? (() => {});
    this.#loop = new PollingLoop(
      () => this.runOnce(),
      (error) => this.#onError(error),
    );
  }

  /**
   * Matches everything not yet matched; returns how many proposals were made. On PostgreSQL one instance at a
   * time (a session advisory lock on a connection held for the round): rounds of several instances at once
   * would read the same unmatched reports and each match and mark them (measured with three instances under
   * load: two reports in three marked twice, each a commit, the later waiting on the earlier's row lock). An
   * instance that finds the lock taken passes and looks again shortly.
   */
  async runOnce(): Promise<number> {
    if (dialectKindOf(this.#db) !== 'postgres') return this.#matchAll();
    if (this.#lookAgainDue) return 0;
    return this.#db.connection().execute(async (connection) => {
      const key = sql`hashtextextended('reportline:compound-matcher:' || current_database() || ':' || coalesce(current_schema(), ''), 0)`;
      const { rows } = await sql<{ locked: boolean }>`select pg_try_advisory_lock(${key}) as locked`.execute(
        connection,
      );
      if (!rows[0]?.locked) {
        if (!this.#stopping) {
          this.#lookAgainDue = true;
          setTimeout(() => {
            this.#lookAgainDue = false;
            this.#loop.nudge();
          }, lookAgainAfterMs).unref();
        }
        return 0;
      }
      try {
        return await this.#matchAll();
      } finally {
        await sql`select pg_advisory_unlock(${key})`.execute(connection);
      }
    });
  }

  async #matchAll(): Promise<number> {
    let made = 0;
    for (const compound of await this.#compoundsBehind()) {
      if (this.#stopping) return made;
      made += await this.#matchCompound(compound);
    }
    made += await this.#matchChangedReports();
    return made;
  }

  async #allCompounds(): Promise<MatchableCompound[]> {
    const rows = await this.#db.selectFrom('compounds').selectAll().orderBy('id').execute();
    return rows.map((row) => matchableCompound(compoundOfRow(row)));
  }

  async #compoundsBehind(): Promise<Array<{ compound: MatchableCompound; revision: number }>> {
    const rows = await this.#db
      .selectFrom('compounds')
      .selectAll()
      .whereRef('matched_revision', '<', 'revision')
      .orderBy('id')
      .execute();
    return rows.map((row) => ({ compound: matchableCompound(compoundOfRow(row)), revision: Number(row.revision) }));
  }

  /**
   * The report as matching reads it, or undefined for one that cannot be read (written under another data key):
   * reported once and passed over, so one such row does not stop every other report from being matched.
   */
  #readable(row: { id: string; content_enc: string }, additions: Map<string, string[]>): MatchableReport | undefined {
    try {
      const content = this.#cipher.decryptJson<ReportContent>(row.content_enc, contentContext(row.id));
      return matchableReport(content, additions.get(row.id));
    } catch (error) {
      this.#onError(new CompoundMatchError('compound.report_unreadable', error));
      return undefined;
    }
  }

  /** What the reporters of a page of reports added later, in their own words. */
  #additionsOf(page: ReadonlyArray<{ id: string }>): Promise<Map<string, string[]>> {
    return additionTextsOf(
      this.#db,
      this.#cipher,
      page.map((row) => row.id),
      (error) => this.#onError(new CompoundMatchError('compound.addition_unreadable', error)),
    );
  }

  /** One compound against every report, a page at a time; then its revision is marked matched. */
  async #matchCompound(entry: { compound: MatchableCompound; revision: number }): Promise<number> {
    const { compound, revision } = entry;
    let made = 0;
    let after = '';
    for (;;) {
      const page = await this.#db
        .selectFrom('reports')
        .select(['id', 'content_enc'])
        .where('id', '>', after)
        .orderBy('id')
        .limit(pageSize)
        .execute();
      const additions = await this.#additionsOf(page);
      for (const row of page) {
        const report = this.#readable(row, additions);
        if (!report) continue;
        made += await recordProposals(
          this.#db,
          row.id,
          matchReport(report, [compound], this.#radiusMeters),
          this.#now(),
        );
      }
      if (page.length < pageSize) break;
      // Stopping mid-way leaves the compound behind: the next start, here or elsewhere, matches it again.
      if (this.#stopping) return made;
      after = page[page.length - 1]!.id;
    }
    made += await this.#proposeLinkedToConfirmed(compound.id);
    // Only the revision read: an edit made meanwhile leaves the compound behind, for the next round.
    await this.#db
      .updateTable('compounds')
      .set({ matched_revision: revision })
      .where('id', '=', compound.id)
      .where('matched_revision', '<', revision)
      .execute();
    return made;
  }

  /** Every report linked to a case confirmed on the compound, proposed for it. */
  async #proposeLinkedToConfirmed(compoundId: string): Promise<number> {
    const confirmed = await this.#db
      .selectFrom('compound_cases')
      .innerJoin('reports', 'reports.id', 'compound_cases.report_id')
      .select(['compound_cases.report_id as reportId', 'reports.reference'])
      .where('compound_cases.compound_id', '=', compoundId)
      .where('compound_cases.state', '=', 'confirmed')
      .orderBy('reports.id')
      .execute();
    let made = 0;
    for (const { reportId, reference } of confirmed)
      made += await this.#proposeLinkedOf(reportId, reference, [compoundId]);
    return made;
  }

  /** The reports linked to a confirmed case, proposed for the compounds it is confirmed on. */
  async #proposeLinkedOf(reportId: string, reference: string, compoundIds: readonly string[]): Promise<number> {
    if (compoundIds.length === 0) return 0;
    let made = 0;
    for (const linked of await this.#links.linkedReports(reportId)) {
      const kinds = linked.shared.map((item) => item.kind);
      made += await recordProposals(
        this.#db,
        linked.reportId,
        compoundIds.map((compoundId) => sharedIndicatorMatch(compoundId, reference, kinds)),
        this.#now(),
      );
    }
    return made;
  }

  /** The compounds a report is confirmed on. */
  async #confirmedOn(reportId: string): Promise<string[]> {
    const rows = await this.#db
      .selectFrom('compound_cases')
      .select('compound_id')
      .where('report_id', '=', reportId)
      .where('state', '=', 'confirmed')
      .orderBy('compound_id')
      .execute();
    return rows.map((row) => row.compound_id);
  }

  /** Reports stored or changed since they were last looked at, against every compound. */
  async #matchChangedReports(): Promise<number> {
    let made = 0;
    const compounds = await this.#allCompounds();
    // Each page starts after the last one: a row left due (written again while looked at, or held by a writer and
    // passed over) is for the next round. Starting every page from the first row due read such rows again at once,
    // and a writer holding a whole page of them (a script updating many reports in one transaction) kept the round
    // reading that page, decrypting and matching it, with its lock held, until the writer committed.
    let after = '';
    for (;;) {
      // The due rows first, by their key, then their reports by theirs: a page costs its own rows.
      const page = await this.#db
        .selectFrom('compound_scans_due as due')
        .innerJoin('reports', 'reports.id', 'due.report_id')
        .select(['reports.id', 'due.marks', 'reports.content_enc', 'reports.reference'])
        .where('due.report_id', '>', after)
        .orderBy('due.report_id')
        .limit(pageSize)
        .execute();
      if (page.length === 0) return made;
      const additions = compounds.length === 0 ? new Map<string, string[]>() : await this.#additionsOf(page);
      for (const row of page) {
        // Without compounds nothing can match: the report is only marked looked at, not decrypted.
        const report = compounds.length === 0 ? undefined : this.#readable(row, additions);
        if (!report) continue;
        const matches = [
          ...matchReport(report, compounds, this.#radiusMeters),
          ...(await this.#sharedWithConfirmed(row.id)),
        ];
        made += await recordProposals(this.#db, row.id, dedupe(matches), this.#now());
        // A case just confirmed was touched by its confirmation: the reports linked to it are proposed now.
        made += await this.#proposeLinkedOf(row.id, row.reference, await this.#confirmedOn(row.id));
      }
      // The page looked at, in one statement, once its proposals are recorded: a round cut short re-reads the page
      // and proposes nothing twice. (A statement and a commit per report were as many as the report's own.)
      await this.#markScanned(page);
      // What is not looked at yet stays due: the next start, here or elsewhere, takes it.
      if (page.length < pageSize || this.#stopping) return made;
      after = page[page.length - 1]!.id;
    }
  }

  async #sharedWithConfirmed(reportId: string): Promise<CompoundMatch[]> {
    const linked = await this.#links.linkedReports(reportId);
    if (linked.length === 0) return [];
    const byId = new Map(linked.map((entry) => [entry.reportId, entry]));
    const confirmed = await this.#db
      .selectFrom('compound_cases')
      .select(['compound_id', 'report_id'])
      .where('state', '=', 'confirmed')
      .where('report_id', 'in', [...byId.keys()].slice(0, 500))
      .orderBy('compound_id')
      .orderBy('report_id')
      .execute();
    return confirmed.map((row) => {
      const other = byId.get(row.report_id)!;
      return sharedIndicatorMatch(
        row.compound_id,
        other.reference,
        other.shared.map((item) => item.kind),
      );
    });
  }

  /**
   * No longer due, each at the marks read with it: a report written again meanwhile has more marks and stays due, so
   * the change is looked at by the next round (a submission's nudge, a compound edit's, or the poll). On PostgreSQL a
   * row a writer holds is passed over, not waited for: it is being marked again (or, rolled back, is looked at once
   * more), and waiting would hold the round, and its lock, for the writer's whole transaction.
   */
  async #markScanned(page: ReadonlyArray<{ id: string; marks: number }>): Promise<void> {
    const readAsDue = this.#db
      .selectFrom('compound_scans_due')
      .select('report_id')
      .where((eb) =>
        eb(
          eb.refTuple('report_id', 'marks'),
          'in',
          page.map((row) => eb.tuple(row.id, row.marks)),
        ),
      );
    await this.#db
      .deleteFrom('compound_scans_due')
      .where('report_id', 'in', dialectKindOf(this.#db) === 'postgres' ? readAsDue.forUpdate().skipLocked() : readAsDue)
      .execute();
  }

  /** Matches until stop(), every `pollIntervalMs` and at once after `nudge()` (a report stored, a compound edited). */
  start(pollIntervalMs = 30_000): void {
    if (!this.#loop.stopped) return;
    this.#stopping = false;
    this.#loop.start(pollIntervalMs);
  }

  nudge(): void {
    this.#loop.nudge();
  }

  /** Stops matching and waits for the round under way. */
  async stop(): Promise<void> {
    this.#stopping = true;
    await this.#loop.stop();
  }
}

function sharedIndicatorMatch(compoundId: string, linkedReference: string, kinds: string[]): CompoundMatch {
  return {
    compoundId,
    reason: 'shared_indicator',
    detail: { reasons: ['shared_indicator'], linkedReference, sharedKinds: [...new Set(kinds)].sort() },
  };
}

/** One proposal per compound: the strongest reason first (location or name before a shared indicator). */
function dedupe(matches: CompoundMatch[]): CompoundMatch[] {
  const byCompound = new Map<string, CompoundMatch>();
  for (const match of matches) if (!byCompound.has(match.compoundId)) byCompound.set(match.compoundId, match);
  return [...byCompound.values()];
}

/** A report the matcher could not read, with a stable code; the cause is kept for its code, never its message. */
export class CompoundMatchError extends Error {
  constructor(
    readonly code: 'compound.report_unreadable' | 'compound.addition_unreadable',
    cause: unknown,
  ) {
    super(code, { cause });
    this.name = 'CompoundMatchError';
  }
}
