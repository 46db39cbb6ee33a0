import { sql, type Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { assembleIntake, type Intake } from '../../app/assemble-intake.js';
import { ChatOutbox, chatOutboxMessageContext } from '../../intake/chat/chat-outbox.js';
import { createCaseRouter } from '../../intake/routing/case-router.js';
import type { Database } from '../../intake/store/database.js';
import { openDatabase } from '../../intake/store/open-database.js';
import { ReportFollowups } from '../../intake/store/report-followups.js';
import { StaffGroupAlerts } from '../../intake/urgent/staff-group-alerts.js';
import { SupervisorAlertMail } from '../../intake/urgent/supervisor-alert-mail.js';
import { takeUrgentCase } from '../../intake/urgent/take-urgent-case.js';
import { UrgentClockWorker } from '../../intake/urgent/urgent-clock-worker.js';
import { completeReport, testCipher } from '../support/fixtures.js';
import {
  createTestDatabase,
  testDatabaseKinds,
  warnIfPostgresSkipped,
  type TestDatabase,
} from '../support/test-databases.js';
import { clockTestDirectory, clockTestPolicy, i18n } from './urgent-clock-harness.js';

warnIfPostgresSkipped();

// Added with the batched steps (a claimed batch stepped in one statement or one transaction): what batching could
// break. A step failing for one clock of a batch, a lease lost between the claim and the step, two instances
// claiming at once.

const minute = 60_000;
const leaseMs = 30_000;
const start = Date.parse('2026-12-01T10:00:00.000Z');
const cipher = testCipher();
const staffGroup = '-1001234567890';
const directory = clockTestDirectory({ kh: 'http://127.0.0.1:9/kh', aseanapol: 'http://127.0.0.1:9/aseanapol' });

function clockBed(kind: 'sqlite' | 'postgres') {
  const bed = {} as { database: TestDatabase; intake: Intake; at: number; opened: Array<Kysely<Database>> };
  beforeEach(async () => {
    bed.at = start;
    bed.opened = [];
    bed.database = await createTestDatabase(kind);
    bed.intake = assembleIntake({
      db: bed.database.db,
      cipher,
      router: createCaseRouter(directory),
      now: () => new Date(bed.at),
      urgentClock: clockTestPolicy,
    });
  });
  afterEach(async () => {
    for (const db of bed.opened) await db.destroy();
    await bed.database.dispose();
  });
  return bed;
}

/** A clock worker as an instance runs it, over its own connection when `ownConnection` (another instance). */
function clockWorker(
  bed: ReturnType<typeof clockBed>,
  options: {
    aheadMs?: number;
    ownConnection?: boolean;
    supervisorMail?: boolean;
    staffGroup?: boolean;
    errors?: unknown[];
  } = {},
) {
  let db = bed.database.db;
  if (options.ownConnection) {
    db = openDatabase(bed.database.location);
    bed.opened.push(db);
  }
  return new UrgentClockWorker({
    db,
    cipher,
    directory,
    policy: clockTestPolicy,
    now: () => new Date(bed.at + (options.aheadMs ?? 0)),
    leaseMs,
    ...(options.staffGroup
      ? {
          alerts: new StaffGroupAlerts({
            cipher,
            outbox: new ChatOutbox({ db, cipher, followups: new ReportFollowups({ db, cipher }) }),
            targets: [
              { channel: 'telegram', chatId: staffGroup, renderText: (text) => [{ kind: 'text', text } as never] },
            ],
            t: i18n.getFixedT('en', 'staff'),
            language: 'en',
          }),
        }
      : {}),
    ...(options.supervisorMail
      ? {
          supervisorMail: new SupervisorAlertMail({
            cipher,
            to: ['duty-supervisor@hotline.example'],
            t: i18n.getFixedT('en', 'delivery'),
            language: 'en',
            consoleBaseUrl: undefined,
          }),
        }
      : {}),
    onError: (error) => options.errors?.push(error),
  });
}

async function actionsOf(db: Kysely<Database>, reportId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('audit_events')
    .select('action')
    .where('report_id', '=', reportId)
    .orderBy('seq')
    .execute();
  return rows.map((row) => row.action);
}

/** How many audit events of `action` each report has. */
async function countsOf(db: Kysely<Database>, action: string, reportIds: readonly string[]): Promise<number[]> {
  const rows = await db.selectFrom('audit_events').select('report_id').where('action', '=', action).execute();
  return reportIds.map((reportId) => rows.filter((row) => row.report_id === reportId).length);
}

async function submitUrgent(intake: Intake, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let index = 0; index < count; index += 1)
    ids.push((await intake.reports.submitReport(completeReport(), { actor: 'token:api' })).reportId);
  return ids;
}

describe.each(testDatabaseKinds)('urgent clocks stepped in batches (%s)', (kind) => {
  const bed = clockBed(kind);

  it('one clock whose step fails holds up no other of its batch: the others commit, it is reported and taken again after its lease', async () => {
    const [first, bad, third] = await submitUrgent(bed.intake, 3);
    await clockWorker(bed).runOnce();
    // The bad case's routing can no longer be read (sealed for another case): offering it to the next agency fails.
    const routing = (reportId: string) =>
      bed.database.db
        .selectFrom('report_routing')
        .select('decision_enc')
        .where('report_id', '=', reportId)
        .executeTakeFirstOrThrow();
    const ownRouting = await routing(bad!);
    await bed.database.db
      .updateTable('report_routing')
      .set({ decision_enc: (await routing(first!)).decision_enc })
      .where('report_id', '=', bad!)
      .execute();

    // Past both windows, the three are due together: a supervisor alert and the offer to the next agency each.
    bed.at = start + 31 * minute;
    const errors: unknown[] = [];
    const worker = clockWorker(bed, { errors });
    expect(await worker.runOnce()).toBe(3);
    expect(errors).toHaveLength(1);
    const stepped = [
      'report.created',
      'urgent.clock_started',
      'urgent.duty_alerted',
      'urgent.supervisor_alerted',
      'routing.agency_added',
      'urgent.escalated',
    ];
    for (const reportId of [first!, third!]) expect(await actionsOf(bed.database.db, reportId)).toEqual(stepped);
    // Nothing of the failed step stayed: no alert recorded, the clock as it was, still held by the lease.
    expect(await actionsOf(bed.database.db, bad!)).toEqual([
      'report.created',
      'urgent.clock_started',
      'urgent.duty_alerted',
    ]);
    const held = await bed.database.db
      .selectFrom('urgent_clocks')
      .select(['supervisor_alerted_at', 'agency_id', 'lease_until'])
      .where('report_id', '=', bad!)
      .executeTakeFirstOrThrow();
    expect(held).toEqual({
      supervisor_alerted_at: null,
      agency_id: 'kh-cnp',
      lease_until: new Date(bed.at + leaseMs).toISOString(),
    });
    expect(await worker.runOnce()).toBe(0);

    // Its routing readable again and its lease passed, it is taken again, whole.
    await bed.database.db
      .updateTable('report_routing')
      .set({ decision_enc: ownRouting.decision_enc })
      .where('report_id', '=', bad!)
      .execute();
    bed.at += leaseMs + 1_000;
    expect(await worker.runOnce()).toBe(1);
    expect(errors).toHaveLength(1);
    expect(await actionsOf(bed.database.db, bad!)).toEqual(stepped);
  });
  it('a batch of urgent cases tells the staff group of each one once, each message counted in its own alert', async () => {
    const reportIds = await submitUrgent(bed.intake, 3);
    const references = await bed.database.db
      .selectFrom('reports')
      .select(['id', 'reference'])
      .where('id', 'in', reportIds)
      .execute();
    expect(await clockWorker(bed, { staffGroup: true }).runOnce()).toBe(3);
    const sent = await bed.database.db.selectFrom('chat_outbox').select(['id', 'message_enc']).orderBy('seq').execute();
    const texts = sent.map(
      (row) => cipher.decryptJson<{ text: string }>(row.message_enc, chatOutboxMessageContext(row.id)).text,
    );
    expect(texts).toHaveLength(3);
    for (const { reference } of references)
      expect(
        texts.filter((text) => text.includes(reference)),
        reference,
      ).toHaveLength(1);
    const alerted = await bed.database.db
      .selectFrom('audit_events')
      .select('detail')
      .where('action', '=', 'urgent.duty_alerted')
      .execute();
    expect(alerted.map((row) => JSON.parse(row.detail) as unknown)).toEqual(
      reportIds.map(() => ({ staffGroupMessages: 1 })),
    );
  });
});

describe.each(testDatabaseKinds.filter((kind) => kind === 'postgres'))(
  'urgent clocks of several instances (%s)',
  (kind) => {
    const bed = clockBed(kind);
    const waitUntil = async (condition: () => Promise<boolean>) => {
      for (let tries = 0; !(await condition()); tries += 1) {
        if (tries > 500) throw new Error('waited 10 s in vain');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    /** How many statements wait for the audit log, which the test holds (a stall between a claim and its step). */
    const waitingOnAuditLog = (db: Kysely<Database>) =>
      sql<{ waiting: number }>`select count(*)::integer as waiting from pg_locks
        where not granted and relation = 'audit_events'::regclass`
        .execute(db)
        .then((result) => result.rows[0]!.waiting);

    it('a clock whose lease ran out between the claim and the step, and that another instance took, is stepped once, by the other', async () => {
      const reportIds = await submitUrgent(bed.intake, 3);
      const errors: unknown[] = [];
      const stalled = clockWorker(bed, { ownConnection: true, errors });
      // The other instance's clock is past the first's lease: it takes what the first claimed.
      const other = clockWorker(bed, { ownConnection: true, aheadMs: leaseMs + 1_000, errors });
      // The audit log refuses writes for a moment, so the first instance stalls after its claim, before its step.
      const rounds = await bed.database.db.transaction().execute(async (trx) => {
        await sql`lock table audit_events in share row exclusive mode`.execute(trx);
        const first = stalled.runOnce();
        await waitUntil(async () => (await waitingOnAuditLog(trx)) === 1);
        const second = other.runOnce();
        await waitUntil(async () => (await waitingOnAuditLog(trx)) === 2);
        return { first, second };
      });
      expect(await rounds.first).toBe(3);
      expect(await rounds.second).toBe(3);
      expect(errors).toEqual([]);
      expect(await countsOf(bed.database.db, 'urgent.duty_alerted', reportIds)).toEqual([1, 1, 1]);
      const alerted = await bed.database.db
        .selectFrom('urgent_clocks')
        .select(['duty_alerted_at', 'lease_until'])
        .execute();
      expect(alerted).toEqual(
        reportIds.map(() => ({ duty_alerted_at: new Date(start + leaseMs + 1_000).toISOString(), lease_until: null })),
      );
    });

    // Added in review: the one statement also checks each clock is as claimed, not only that the lease is ours.
    it('a case taken between the claim and the step is not alerted to the supervisors; the others of its batch are', async () => {
      const [taken, ...others] = await submitUrgent(bed.intake, 3);
      await clockWorker(bed).runOnce();
      // Past the hotline's window: a supervisor alert each, and nothing to send (no group, no e-mail), one statement.
      bed.at = start + 16 * minute;
      const errors: unknown[] = [];
      const worker = clockWorker(bed, { ownConnection: true, errors });
      const held = await bed.database.db.transaction().execute(async (trx) => {
        await sql`lock table audit_events in share row exclusive mode`.execute(trx);
        const round = worker.runOnce();
        await waitUntil(async () => (await waitingOnAuditLog(trx)) === 1);
        // Someone at the hotline takes the case now: its clock is written, its audit event waits behind the worker's.
        const taking = bed.database.db.transaction().execute((taker) =>
          takeUrgentCase(taker, {
            reportId: taken!,
            actor: 'user:duty',
            how: 'acknowledgement',
            at: new Date(bed.at),
          }),
        );
        await waitUntil(async () => (await waitingOnAuditLog(trx)) === 2);
        return { round, taking };
      });
      expect(await held.taking).toBe(true);
      expect(await held.round).toBe(3);
      expect(errors).toEqual([]);
      expect(await countsOf(bed.database.db, 'urgent.supervisor_alerted', [taken!, ...others])).toEqual([0, 1, 1]);
      const clock = await bed.database.db
        .selectFrom('urgent_clocks')
        .select(['supervisor_alerted_at', 'hotline_acknowledged_by', 'lease_until'])
        .where('report_id', '=', taken!)
        .executeTakeFirstOrThrow();
      expect(clock).toEqual({ supervisor_alerted_at: null, hotline_acknowledged_by: 'user:duty', lease_until: null });
    });

    it('two instances at once: a step held up in its transaction keeps its clocks, so each case is alerted and mailed once', async () => {
      const reportIds = await submitUrgent(bed.intake, 3);
      bed.at = start + 16 * minute;
      const errors: unknown[] = [];
      // The supervisors' e-mail makes each step a transaction (queued with the step), read under lock.
      const held = clockWorker(bed, { ownConnection: true, supervisorMail: true, errors });
      // The other's clock runs past the first's lease: only the lock keeps it off the clocks the first is stepping.
      const other = clockWorker(bed, { ownConnection: true, supervisorMail: true, aheadMs: leaseMs + 1_000, errors });
      const rounds = await bed.database.db.transaction().execute(async (trx) => {
        await sql`lock table audit_events in share row exclusive mode`.execute(trx);
        const first = held.runOnce();
        await waitUntil(async () => (await waitingOnAuditLog(trx)) === 1);
        let settled = false;
        const second = other.runOnce().finally(() => (settled = true));
        await waitUntil(async () => settled || (await waitingOnAuditLog(trx)) === 2);
        return { first, second };
      });
      expect(await rounds.first).toBe(3);
      await rounds.second;
      expect(errors).toEqual([]);
      expect(await countsOf(bed.database.db, 'urgent.duty_alerted', reportIds)).toEqual([1, 1, 1]);
      expect(await countsOf(bed.database.db, 'urgent.supervisor_alerted', reportIds)).toEqual([1, 1, 1]);
      const mails = await bed.database.db.selectFrom('mail_outbox').select('report_id').execute();
      expect(mails.map((mail) => mail.report_id).sort()).toEqual([...reportIds].sort());
    });
  },
);
