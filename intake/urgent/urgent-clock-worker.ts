import type { Kysely, Transaction } from 'kysely';
import { systemClock, type Clock } from '../clock.js';
import type { FieldCipher } from '../crypto/field-cipher.js';
import type { AgencyDirectory } from '../routing/load-agency-directory.js';
import { appendAuditEvent } from '../store/audit-log.js';
import type { Database } from '../store/database.js';
import { dialectKindOf } from '../store/dialect/dialect-kind.js';
import { nextEscalationAgency, offerUrgentCase } from './escalate-urgent-case.js';
import { roundAlertKind, type StaffGroupAlerts } from './staff-group-alerts.js';
import type { SupervisorAlertMail } from './supervisor-alert-mail.js';
import { nextCheckAt, type UrgentClockRow } from './urgent-clock-deadlines.js';
import type { UrgentClockPolicy } from './urgent-clock-policy.js';
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
  /** Told after a clock's step committed deliveries or chat messages (they go out at once). */
  afterCommit?: (effects: UrgentClockEffects) => void;
  onError?: (error: unknown) => void;
}

const claimBatch = 20;

/**
 * Keeps the acknowledgement clocks of urgent cases. Clocks live in the
 * database (`urgent_clocks`, each with its next deadline), so a restart loses
 * none: the worker claims due clocks with a lease like the delivery
 * dispatcher (on PostgreSQL `FOR UPDATE SKIP LOCKED`, so several instances
 * share them) and takes each step in one transaction with its audit event and
 * what it sends: the staff group's first alert; a supervisor alert when nobody
 * at the hotline took the case in time; the case offered to the next agency
 * when the awaited agency did not accept it in its window.
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
      (error) => (this.#options.onError ?? (() => {}))(error),
    );
  }

  /** Takes every step due now; returns how many clocks were looked at. */
  async runOnce(): Promise<number> {
    let handled = 0;
    while (!this.#loop.draining) {
      const claimed = await this.#claimDue();
      if (claimed.length === 0) return handled;
      for (const clock of claimed) {
        try {
          await this.#step(clock.reportId, clock.leaseUntil);
        } catch (error) {
          // The lease runs out and the clock is taken again; one bad clock holds up no other.
          (this.#options.onError ?? (() => {}))(error);
        }
      }
      handled += claimed.length;
    }
    return handled;
  }

  async #claimDue(): Promise<Array<{ reportId: string; leaseUntil: string }>> {
    const now = this.#now();
    const nowText = now.toISOString();
    const leaseUntil = new Date(now.getTime() + this.#leaseMs).toISOString();
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
      .set({ lease_until: leaseUntil })
      .where('report_id', 'in', due)
      .returning('report_id')
      .execute();
    return rows.map((row) => ({ reportId: row.report_id, leaseUntil }));
  }

  async #step(reportId: string, lease: string): Promise<void> {
    const effects: UrgentClockEffects = { deliveries: 0, chatMessages: 0, mails: 0 };
    await this.#db.transaction().execute(async (trx) => {
      const clock = await trx
        .selectFrom('urgent_clocks')
        .selectAll()
        .where('report_id', '=', reportId)
        .where('lease_until', '=', lease)
        .$if(dialectKindOf(trx) === 'postgres', (query) => query.forUpdate())
        .executeTakeFirst();
      // Another worker took it after this lease ran out: its step, not ours.
      if (!clock) return;
      const at = this.#now();
      const { changes, stopped } = await this.#advance(trx, clock, at, effects);
      await trx
        .updateTable('urgent_clocks')
        .set({
          ...changes,
          next_check_at: stopped ? null : nextCheckAt({ ...clock, ...changes }),
          lease_until: null,
          updated_at: at.toISOString(),
        })
        .where('report_id', '=', reportId)
        .execute();
    });
    if (effects.deliveries + effects.chatMessages + effects.mails > 0) this.#options.afterCommit?.(effects);
  }

  /** The clock's steps due at `at`, taken in `trx`; returns the columns they change. */
  async #advance(
    trx: Transaction<Database>,
    clock: UrgentClockRow,
    at: Date,
    effects: UrgentClockEffects,
  ): Promise<{ changes: Partial<UrgentClockRow>; stopped: boolean }> {
    const timestamp = at.toISOString();
    const reportId = clock.report_id;
    const report = await trx
      .selectFrom('reports')
      .select(['reference', 'urgent', 'in_queue', 'withdrawn_at', 'current_country'])
      .where('id', '=', reportId)
      .executeTakeFirstOrThrow();
    const audit = (action: string, detail: Record<string, unknown>) =>
      appendAuditEvent(trx, { actor: 'urgent-clock', action, reportId, at, detail });
    const tell = async (kind: Parameters<StaffGroupAlerts['tell']>[1]['kind']) => {
      const queued =
        (await this.#options.alerts?.tell(trx, {
          kind,
          reference: report.reference,
          country: report.current_country,
          at,
        })) ?? 0;
      effects.chatMessages += queued;
      return queued;
    };
    const changes: Partial<UrgentClockRow> = {};

    if (clock.duty_alerted_at === null) {
      changes.duty_alerted_at = timestamp;
      const kind = roundAlertKind(clock.round_reason);
      await audit('urgent.duty_alerted', {
        staffGroupMessages: await tell(kind),
        ...(clock.round_reason ? { roundReason: clock.round_reason } : {}),
      });
    }
    // A case closed, withdrawn or no longer urgent waits for nobody: its clock stops here, without alerts.
    if (report.in_queue !== 1 || report.withdrawn_at !== null || report.urgent !== 1) {
      await audit('urgent.clock_stopped', {
        reason: report.withdrawn_at !== null ? 'withdrawn' : report.urgent !== 1 ? 'no_longer_urgent' : 'closed',
      });
      if (clock.agency_accepted_at === null) changes.agency_accept_due_at = null;
      return { changes, stopped: true };
    }

    if (
      clock.hotline_acknowledged_at === null &&
      clock.supervisor_alerted_at === null &&
      clock.hotline_ack_due_at <= timestamp
    ) {
      changes.supervisor_alerted_at = timestamp;
      const overdueSeconds = Math.round((at.getTime() - new Date(clock.hotline_ack_due_at).getTime()) / 1000);
      // Queued with the step and its audit event: the e-mail goes out exactly when the alert is recorded.
      const supervisorEmails =
        (await this.#options.supervisorMail?.queue(trx, {
          reportId,
          reference: report.reference,
          country: report.current_country,
          urgentSince: clock.urgent_since,
          at,
        })) ?? 0;
      effects.mails += supervisorEmails;
      await audit('urgent.supervisor_alerted', {
        overdueSeconds,
        staffGroupMessages: await tell('supervisor'),
        supervisorEmails,
      });
    }

    if (
      clock.agency_id !== null &&
      clock.agency_accepted_at === null &&
      clock.agency_accept_due_at !== null &&
      clock.agency_accept_due_at <= timestamp
    ) {
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
        await audit('urgent.escalated', {
          from: clock.agency_id,
          to: next,
          addedToRouting: offered.added,
          deliveries: offered.deliveries,
          staffGroupMessages: await tell('escalated'),
        });
      } else {
        changes.agency_accept_due_at = null;
        await audit('urgent.escalation_exhausted', {
          agencyId: clock.agency_id,
          staffGroupMessages: await tell('noFurtherAgency'),
        });
      }
    }
    return { changes, stopped: false };
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
