import type { Insertable, Kysely, Transaction } from 'kysely';
import { systemClock, type Clock } from '../clock.js';
import type { FieldCipher } from '../crypto/field-cipher.js';
import type { AgencyDirectory } from '../routing/load-agency-directory.js';
import { auditEventRow } from '../store/audit-log.js';
import type { Database } from '../store/database.js';
import type { AuditEventsTable } from '../store/tables/foundation-tables.js';
import { dialectKindOf } from '../store/dialect/dialect-kind.js';
import { nextEscalationAgency, offerUrgentCase } from './escalate-urgent-case.js';
import { roundAlertKind, type RenderedStaffGroupAlert, type StaffGroupAlerts } from './staff-group-alerts.js';
import type { SupervisorAlertMail } from './supervisor-alert-mail.js';
import { nextCheckAt, type UrgentClockRow } from './urgent-clock-deadlines.js';
import { clockCaseOf, clockCaseSelections, dueSteps, type ClockCase, type DueSteps } from './urgent-clock-due-steps.js';
import { writePlainStepsInOneStatement, type ClaimedClock, type PlainStep } from './urgent-clock-one-statement.js';
import type { UrgentClockPolicy } from './urgent-clock-policy.js';
import { updateClocks, type ClockUpdate } from './urgent-clock-updates.js';
import { PollingLoop } from '../polling-loop.js';

/** What one round queued, so the composition root nudges the workers that send it. */
export interface UrgentClockEffects {
  deliveries: number;
  chatMessages: number;
  /** Supervisors' e-mails queued in the mail outbox. */
  mails: number;
}

export interface UrgentClockWorkerOptions {
  db: Kysely<Database>;
  cipher: FieldCipher;
  directory: AgencyDirectory;
  policy: UrgentClockPolicy;
  now?: Clock;
  /** The staff Telegram or LINE group, when the deployment has one. */
  alerts?: StaffGroupAlerts | undefined;
  /** The supervisors' e-mail (REPORTLINE_SUPERVISOR_EMAILS), when the deployment names them. */
  supervisorMail?: SupervisorAlertMail | undefined;
  /** How long a claimed clock is this worker's; after a crash another takes it once this passes. */
  leaseMs?: number;
  /** Told after steps committed deliveries, chat messages or e-mails (they go out at once): once per commit. */
  afterCommit?: (effects: UrgentClockEffects) => void;
  onError?: (error: unknown) => void;
}

const claimBatch = 20;

/** Where a step's writes go: its audit events in order, and, in a transaction, what it queues and reads. */
interface StepWrites {
  audit(event: Insertable<AuditEventsTable>): void;
  effects: UrgentClockEffects;
  /** Absent for a plain step written in one statement with its batch (writePlainStepsInOneStatement). */
  held?: {
    trx: Transaction<Database>;
    /** Writes the audit events taken so far: an escalation reads the log and writes its own events after them. */
    flushAudit(): Promise<void>;
    /** Keeps a staff group alert, queued with the batch's others when its steps are done. */
    alert(rendered: RenderedStaffGroupAlert): void;
  };
}

const noEffects = (): UrgentClockEffects => ({ deliveries: 0, chatMessages: 0, mails: 0 });

/**
 * Keeps the acknowledgement clocks of urgent cases. Clocks live in the
 * database (`urgent_clocks`, each with its next deadline), so a restart loses
 * none: the worker claims due clocks with a lease like the delivery
 * dispatcher (on PostgreSQL `FOR UPDATE SKIP LOCKED`, so several instances
 * share them) and takes each step with its audit event and what it sends,
 * all committed together: the staff group's first alert; a supervisor alert
 * when nobody at the hotline took the case in time; the case offered to the
 * next agency when the awaited agency did not accept it in its window.
 *
 * A claimed batch is stepped together, in as few round trips as its steps
 * allow (a burst of urgent reports is the hotline's busiest hour): the claim
 * returns each clock with its case; on PostgreSQL, steps that write only
 * their clock and audit events (no staff group, e-mail or offer) take one
 * statement for the whole batch; the others, and a clock that statement left
 * because it changed since the claim, take one transaction for the batch,
 * read again under lock. When that transaction fails, each of its clocks is
 * taken in its own, so one bad clock holds up no other: its error is
 * reported, and it is taken again once its lease runs out.
 */
export class UrgentClockWorker {
  readonly #db: Kysely<Database>;
  readonly #options: UrgentClockWorkerOptions;
  readonly #now: Clock;
  readonly #leaseMs: number;
  readonly #loop: PollingLoop;

  constructor(options: UrgentClockWorkerOptions) {
    this.#db = options.db;
    this.#options = options;
    this.#now = options.now ?? systemClock;
    this.#leaseMs = options.leaseMs ?? 30_000;
    this.#loop = new PollingLoop(
      () => this.runOnce(),
      (error) => this.#report(error),
    );
  }

  /** Takes every step due now; returns how many clocks were looked at. */
  async runOnce(): Promise<number> {
    let handled = 0;
    while (!this.#loop.draining) {
      const { lease, claimed } = await this.#claimDue();
      if (claimed.length > 0) await this.#stepClaimed(lease, claimed);
      handled += claimed.length;
      // A claim short of a batch took all that was due; a clock due since is nudged, or found by the next poll.
      if (claimed.length < claimBatch) return handled;
    }
    return handled;
  }

  #report(error: unknown): void {
    (this.#options.onError ?? (() => {}))(error);
  }

  async #claimDue(): Promise<{ lease: string; claimed: ClaimedClock[] }> {
    const now = this.#now();
    const nowText = now.toISOString();
    const lease = new Date(now.getTime() + this.#leaseMs).toISOString();
    const due = this.#db
      .selectFrom('urgent_clocks')
      .select('report_id')
      .where('next_check_at', '<=', nowText)
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', nowText)]))
      .orderBy('next_check_at')
      .limit(claimBatch)
      .$if(dialectKindOf(this.#db) === 'postgres', (query) => query.forUpdate().skipLocked());
    const rows = await this.#db
      .updateTable('urgent_clocks')
      .set({ lease_until: lease })
      .where('report_id', 'in', due)
      .returningAll()
      .returning(clockCaseSelections)
      .execute();
    return { lease, claimed: rows.map(claimedClockOf) };
  }

  async #stepClaimed(lease: string, claimed: readonly ClaimedClock[]): Promise<void> {
    let left = claimed.map((entry) => entry.clock.report_id);
    const plain = dialectKindOf(this.#db) === 'postgres' ? await this.#plainSteps(claimed) : undefined;
    if (plain) {
      try {
        const stepped = await writePlainStepsInOneStatement(this.#db, lease, plain);
        left = left.filter((reportId) => !stepped.has(reportId));
      } catch (error) {
        // Nothing of it was written (one statement): the clocks are taken under lock below, one by one if need be.
        // Reported all the same: a fault of this path alone would otherwise show only as slower rounds.
        this.#report(error);
      }
    }
    if (left.length === 0) return;
    try {
      await this.#stepUnderLock(left, lease);
    } catch (error) {
      if (left.length === 1) return this.#report(error);
      for (const reportId of left) {
        try {
          await this.#stepUnderLock([reportId], lease);
        } catch (own) {
          // Its lease runs out and it is taken again; one bad clock holds up no other.
          this.#report(own);
        }
      }
    }
  }

  /** Whether a step writes its clock and audit events only: no staff group message, e-mail or offer to queue. */
  #isPlain(due: DueSteps): boolean {
    if (due.escalation) return false;
    if (this.#tellsGroup && (due.dutyAlert || due.supervisorAlert)) return false;
    return !(due.supervisorAlert && this.#options.supervisorMail);
  }

  get #tellsGroup(): boolean {
    return this.#options.alerts?.configured === true;
  }

  /** The batch's steps worked out from the claim, when every one is plain; else undefined. */
  async #plainSteps(claimed: readonly ClaimedClock[]): Promise<PlainStep[] | undefined> {
    const at = this.#now();
    if (!claimed.every(({ clock, report }) => this.#isPlain(dueSteps(clock, report, at)))) return undefined;
    const steps: PlainStep[] = [];
    for (const entry of claimed) {
      const events: PlainStep['events'] = [];
      const set = await this.#advance(entry.clock, entry.report, at, {
        audit: (event) => events.push(event),
        effects: noEffects(),
      });
      steps.push({ claimed: entry, set, events });
    }
    return steps;
  }

  /**
   * The steps of these clocks in one transaction, each clock read again under lock with its case: only the clocks
   * this lease still holds (another worker took one whose lease ran out: its step, not ours).
   */
  async #stepUnderLock(reportIds: readonly string[], lease: string): Promise<void> {
    const effects = noEffects();
    await this.#db.transaction().execute(async (trx) => {
      const rows = await trx
        .selectFrom('urgent_clocks')
        .selectAll()
        .select(clockCaseSelections)
        .where('report_id', 'in', reportIds)
        .where('lease_until', '=', lease)
        // In the order they fell due, as claimed: the staff group is told of the cases in that order.
        .orderBy('next_check_at')
        .orderBy('report_id')
        .$if(dialectKindOf(trx) === 'postgres', (query) => query.forUpdate())
        .execute();
      const at = this.#now();
      const pending: Array<Insertable<AuditEventsTable>> = [];
      const flushAudit = async () => {
        if (pending.length > 0) await trx.insertInto('audit_events').values(pending.splice(0)).execute();
      };
      const alerts: RenderedStaffGroupAlert[] = [];
      const updates: ClockUpdate[] = [];
      for (const { clock, report } of rows.map(claimedClockOf)) {
        const set = await this.#advance(clock, report, at, {
          audit: (event) => pending.push(event),
          effects,
          held: { trx, flushAudit, alert: (rendered) => alerts.push(rendered) },
        });
        updates.push({ reportId: clock.report_id, set });
      }
      await flushAudit();
      if (alerts.length > 0) effects.chatMessages += await this.#options.alerts!.queueRendered(trx, alerts, at);
      if (updates.length > 0) await updateClocks(trx, updates).execute();
    });
    if (effects.deliveries + effects.chatMessages + effects.mails > 0) this.#options.afterCommit?.(effects);
  }

  /** The clock's steps due at `at`; returns what its row is set to (the lease given back). */
  async #advance(
    clock: UrgentClockRow,
    report: ClockCase,
    at: Date,
    writes: StepWrites,
  ): Promise<Partial<UrgentClockRow>> {
    const timestamp = at.toISOString();
    const reportId = clock.report_id;
    const due = dueSteps(clock, report, at);
    const { effects } = writes;
    const held = () => {
      if (!writes.held) throw new Error('urgent clock: a step that queues or reads was taken outside a transaction');
      return writes.held;
    };
    const audit = (action: string, detail: Record<string, unknown>) =>
      writes.audit(auditEventRow({ actor: 'urgent-clock', action, reportId, at, detail }));
    // Rendered now, for the audit event's count; queued with the batch's other alerts in its transaction.
    const tell = (kind: Parameters<StaffGroupAlerts['render']>[0]['kind']) => {
      if (!this.#tellsGroup) return 0;
      const rendered = this.#options.alerts!.render({
        kind,
        reference: report.reference,
        country: report.current_country,
      });
      held().alert(rendered);
      return rendered.count;
    };
    const changes: Partial<UrgentClockRow> = {};
    const rowSet = (stopped: boolean): Partial<UrgentClockRow> => ({
      ...changes,
      next_check_at: stopped ? null : nextCheckAt({ ...clock, ...changes }),
      lease_until: null,
      updated_at: timestamp,
    });

    if (due.dutyAlert) {
      changes.duty_alerted_at = timestamp;
      const kind = roundAlertKind(clock.round_reason);
      audit('urgent.duty_alerted', {
        staffGroupMessages: tell(kind),
        ...(clock.round_reason ? { roundReason: clock.round_reason } : {}),
      });
    }
    // A case closed, withdrawn or no longer urgent waits for nobody: its clock stops here, without alerts.
    if (due.stop) {
      audit('urgent.clock_stopped', { reason: due.stop });
      if (clock.agency_accepted_at === null) changes.agency_accept_due_at = null;
      return rowSet(true);
    }

    if (due.supervisorAlert) {
      changes.supervisor_alerted_at = timestamp;
      const overdueSeconds = Math.round((at.getTime() - new Date(clock.hotline_ack_due_at).getTime()) / 1000);
      // Queued with the step and its audit event: the e-mail goes out exactly when the alert is recorded.
      const supervisorEmails = this.#options.supervisorMail
        ? await this.#options.supervisorMail.queue(held().trx, {
            reportId,
            reference: report.reference,
            country: report.current_country,
            urgentSince: clock.urgent_since,
            at,
          })
        : 0;
      effects.mails += supervisorEmails;
      audit('urgent.supervisor_alerted', {
        overdueSeconds,
        staffGroupMessages: tell('supervisor'),
        supervisorEmails,
      });
    }

    if (due.escalation && clock.agency_id !== null) {
      const { trx, flushAudit } = held();
      await flushAudit();
      const awaitedSoFar = await agenciesAwaitedSoFar(trx, reportId, clock.agency_id);
      const next = nextEscalationAgency(this.#options.policy.escalationAgencies, this.#options.directory, awaitedSoFar);
      if (next) {
        const offered = await offerUrgentCase(
          trx,
          { cipher: this.#options.cipher, directory: this.#options.directory },
          { reportId, agencyId: next, fromAgencyId: clock.agency_id, at },
        );
        effects.deliveries += offered.deliveries;
        Object.assign(changes, {
          agency_id: next,
          agency_accept_due_at: new Date(at.getTime() + this.#options.policy.agencyAcceptMs(next)).toISOString(),
          escalated_at: timestamp,
          escalated_to: next,
          escalation_count: clock.escalation_count + 1,
        });
        audit('urgent.escalated', {
          from: clock.agency_id,
          to: next,
          addedToRouting: offered.added,
          deliveries: offered.deliveries,
          staffGroupMessages: tell('escalated'),
        });
      } else {
        changes.agency_accept_due_at = null;
        audit('urgent.escalation_exhausted', {
          agencyId: clock.agency_id,
          staffGroupMessages: tell('noFurtherAgency'),
        });
      }
    }
    return rowSet(false);
  }

  /** Polls until stop(); `nudge()` makes it look at once (after a report or an amendment made a case urgent). */
  start(pollIntervalMs = 5_000): void {
    this.#loop.start(pollIntervalMs);
  }

  nudge(): void {
    this.#loop.nudge();
  }

  /** Stops polling and waits for the round in hand; a clock claimed and not stepped is taken again after its lease. */
  async stop(): Promise<void> {
    await this.#loop.stop();
  }
}

/** The agencies this urgent case has waited for: the one awaited now and each it was offered to before. */
async function agenciesAwaitedSoFar(
  trx: Transaction<Database>,
  reportId: string,
  awaited: string,
): Promise<Set<string>> {
  const rows = await trx
    .selectFrom('audit_events')
    .select('detail')
    .where('report_id', '=', reportId)
    .where('action', '=', 'urgent.escalated')
    .execute();
  const seen = new Set<string>([awaited]);
  for (const row of rows) {
    const detail = JSON.parse(row.detail) as { from?: unknown; to?: unknown };
    for (const id of [detail.from, detail.to]) if (typeof id === 'string') seen.add(id);
  }
  return seen;
}

/** A row of the claim (or of the read under lock): the clock's columns and its case's. */
function claimedClockOf(row: UrgentClockRow & { [C in keyof ClockCase]: ClockCase[C] | null }): ClaimedClock {
  const { reference, urgent, in_queue, withdrawn_at, current_country, ...clock } = row;
  return { clock, report: clockCaseOf({ reference, urgent, in_queue, withdrawn_at, current_country }) };
}
