import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChatOutbox, chatOutboxMessageContext } from '../../intake/chat/chat-outbox.js';
import type { CaseDependencies } from '../../intake/cases/case-transaction.js';
import { changeCaseStatus } from '../../intake/cases/change-case-status.js';
import { ReportFollowups } from '../../intake/store/report-followups.js';
import { openDatabase } from '../../intake/store/open-database.js';
import { acknowledgeUrgentCase } from '../../intake/urgent/acknowledge-urgent-case.js';
import { StaffGroupAlerts } from '../../intake/urgent/staff-group-alerts.js';
import { completeReport } from '../support/fixtures.js';
import { testDatabaseKinds, warnIfPostgresSkipped } from '../support/test-databases.js';
import { clockTestPolicy, i18n, useClockTestBed, type openClockProcess } from './urgent-clock-harness.js';

warnIfPostgresSkipped();

const hotline = { auditId: 'user:duty-1', role: 'hotline' as const, userId: 'duty-1' };
const staffGroup = '-1001234567890';

describe.each(testDatabaseKinds)('the staff group told of an urgent case that needs someone again (%s)', (kind) => {
  const bed = useClockTestBed(kind);
  const { cipher, now, at } = bed;
  let running: ReturnType<typeof openClockProcess>;
  let outboxDb: ReturnType<typeof openDatabase>;
  let cases: CaseDependencies;

  beforeEach(() => {
    outboxDb = openDatabase(bed.database.location);
    const alerts = new StaffGroupAlerts({
      cipher,
      outbox: new ChatOutbox({ db: outboxDb, cipher, followups: new ReportFollowups({ db: outboxDb, cipher }) }),
      targets: [{ channel: 'telegram', chatId: staffGroup, renderText: (text) => [{ kind: 'text', text } as never] }],
      t: i18n.getFixedT('en', 'staff'),
      language: 'en',
    });
    running = bed.openProcess({ alerts });
    cases = { db: running.db, cipher, now, urgentClock: clockTestPolicy };
  });
  afterEach(async () => {
    await running?.close();
    await outboxDb?.destroy();
  });

  /** What the staff group was sent, in order, as its members read it. */
  const groupTexts = async (): Promise<string[]> => {
    const rows = await running.db
      .selectFrom('chat_outbox')
      .select(['id', 'message_enc'])
      .where('conversation_id', '=', 'staff-group-telegram')
      .orderBy('seq')
      .execute();
    return rows.map(
      (row) => cipher.decryptJson<{ text: string }>(row.message_enc, chatOutboxMessageContext(row.id)).text,
    );
  };

  it('says a reopened case was reopened, not that it is new: its reference and country only', async () => {
    const { reference } = await running.intake.reports.submitReport(completeReport(), { actor: 'token:api' });
    await running.worker.runOnce();
    at(2);
    expect(await acknowledgeUrgentCase(cases, hotline, reference)).toBe('acknowledged');
    at(5);
    await changeCaseStatus(cases, hotline, reference, { status: 'closed' });
    at(31);
    await running.worker.runOnce();
    at(60);
    await changeCaseStatus(cases, hotline, reference, { status: 'triaging' });
    await running.worker.runOnce();

    const texts = await groupTexts();
    expect(texts).toHaveLength(2);
    expect(texts[0]).toBe(`New urgent case ${reference} (Cambodia). Please open the console.`);
    expect(texts[1]).toContain(reference);
    expect(texts[1]).toContain('Cambodia');
    expect(texts[1]).toContain('reopened');
    expect(texts[1]).not.toContain('New urgent case');
    for (const personal of ['김민지', '김준호', '+855 12 345 678', 'Golden Sun'])
      expect(texts[1]).not.toContain(personal);
  });

  it('says a person is in danger again when an amendment makes a case urgent anew, not that it is new', async () => {
    const { reportId, reference } = await running.intake.reports.submitReport(completeReport(), { actor: 'token:api' });
    await running.worker.runOnce();
    at(1);
    expect(await acknowledgeUrgentCase(cases, hotline, reference)).toBe('acknowledged');
    at(5);
    await running.intake.amendments.amend({
      reportId,
      changes: { safety: { heldAgainstWill: false, inImmediateDanger: false } },
      actor: 'channel:telegram',
      channel: 'telegram',
    });
    at(31);
    await running.worker.runOnce();
    at(40);
    await running.intake.amendments.amend({
      reportId,
      changes: { safety: { heldAgainstWill: true } },
      actor: 'channel:telegram',
      channel: 'telegram',
    });
    await running.worker.runOnce();

    const texts = await groupTexts();
    expect(texts).toHaveLength(2);
    expect(texts[1]).toContain(reference);
    expect(texts[1]).toContain('says again that they are held or in danger');
    expect(texts[1]).not.toContain('New urgent case');
    const duty = await running.db
      .selectFrom('audit_events')
      .select('detail')
      .where('report_id', '=', reportId)
      .where('action', '=', 'urgent.duty_alerted')
      .orderBy('seq')
      .execute();
    expect(duty.map((row) => JSON.parse(row.detail) as Record<string, unknown>)).toMatchObject([
      { staffGroupMessages: 1 },
      { staffGroupMessages: 1, roundReason: 'danger_again' },
    ]);
  });
});
