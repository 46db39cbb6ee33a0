import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { holdsEvidence, saveEvidenceFile } from '../../intake/evidence/evidence-files.js';
import { documentTypes } from '../../intake/evidence/sniff-media-type.js';
import { ReportValidationError } from '../../intake/report/validate-report.js';
import { listAuditEvents } from '../../intake/store/audit-log.js';
import { EmptyAdditionError, ReportFollowups } from '../../intake/store/report-followups.js';
import { ReportStore } from '../../intake/store/report-store.js';
import { minimalReport, testCipher } from '../support/fixtures.js';
import {
  createTestDatabase,
  testDatabaseKinds,
  warnIfPostgresSkipped,
  type TestDatabase,
} from '../support/test-databases.js';

warnIfPostgresSkipped();

describe.each(testDatabaseKinds)('follow-ups of a report on %s', (kind) => {
  let database: TestDatabase;
  let reports: ReportStore;
  let followups: ReportFollowups;
  let clock = new Date('2026-01-01T00:00:00Z');
  const cipher = testCipher();
  const dataDir = mkdtempSync(join(tmpdir(), 'reportline-followups-'));

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    reports = new ReportStore({ db: database.db, cipher, now: () => clock });
    followups = new ReportFollowups({
      db: database.db,
      cipher,
      now: () => clock,
      holdsEvidence: (file) => holdsEvidence(dataDir, file),
    });
  });
  afterAll(async () => {
    await database?.dispose();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps what a reporter adds later, encrypted, in order, and moves the report up the queue', async () => {
    const { reportId, reference } = await reports.submitReport(minimalReport(), { actor: 'test' });
    clock = new Date('2026-01-02T10:00:00Z');
    await followups.addToReport(reportId, {
      text: '  He called again from +66 81 234 5678  ',
      channel: 'telegram',
      actor: 'channel:telegram',
    });
    clock = new Date('2026-01-02T11:00:00Z');
    const evidence = saveEvidenceFile(dataDir, new TextEncoder().encode('%PDF-1.4 receipt'), {
      fileName: 'receipt.pdf',
      limits: { maxBytes: 1024, allowedTypes: documentTypes },
    });
    await followups.addToReport(reportId, { evidence: [evidence], channel: 'web', actor: 'public' });

    expect(await followups.listAdditions(reportId)).toEqual([
      {
        text: 'He called again from +66 81 234 5678',
        evidence: [],
        channel: 'telegram',
        createdAt: '2026-01-02T10:00:00.000Z',
      },
      { evidence: [evidence], channel: 'web', createdAt: '2026-01-02T11:00:00.000Z' },
    ]);
    expect(await followups.getStatus(reportId)).toEqual({
      reference,
      status: 'new',
      updatedAt: '2026-01-02T11:00:00.000Z',
    });
    const stored = JSON.stringify(await database.db.selectFrom('report_additions').selectAll().execute());
    expect(stored).not.toContain('called again');
    const actions = (await listAuditEvents(database.db, { reportId })).map((event) => event.action);
    expect(actions).toEqual(['report.created', 'report.addition', 'report.addition']);
  });

  it('refuses an addition naming a file the server never stored, and stores nothing', async () => {
    const { reportId } = await reports.submitReport(minimalReport(), { actor: 'test' });
    const invented = { fileName: 'key.pdf', mediaType: 'application/pdf', size: 32, sha256: 'c'.repeat(64) };
    await expect(
      followups.addToReport(reportId, { evidence: [invented], channel: 'web', actor: 'public' }),
    ).rejects.toBeInstanceOf(ReportValidationError);
    expect(await followups.listAdditions(reportId)).toEqual([]);
  });

  it('refuses an empty addition and stores nothing', async () => {
    const { reportId } = await reports.submitReport(minimalReport(), { actor: 'test' });
    await expect(
      followups.addToReport(reportId, { text: '   ', channel: 'web', actor: 'public' }),
    ).rejects.toBeInstanceOf(EmptyAdditionError);
    expect(await followups.listAdditions(reportId)).toEqual([]);
  });

  it('delivers staff messages to the reporter in order, encrypted at rest', async () => {
    const { reportId } = await reports.submitReport(minimalReport(), { actor: 'test' });
    await followups.postMessageToReporter(reportId, { body: '경찰에 전달했습니다.', author: 'user:staff-1' });
    await followups.postMessageToReporter(reportId, { body: 'Please send the bank receipt.', author: 'user:staff-1' });
    expect((await followups.listMessagesForReporter(reportId)).map((message) => message.body)).toEqual([
      '경찰에 전달했습니다.',
      'Please send the bank receipt.',
    ]);
    expect(JSON.stringify(await database.db.selectFrom('reporter_messages').selectAll().execute())).not.toContain(
      'bank receipt',
    );
  });

  it('answers undefined for the status of an unknown report', async () => {
    expect(await followups.getStatus('00000000-0000-7000-8000-000000000000')).toBeUndefined();
  });
});
