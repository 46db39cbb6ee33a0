import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DraftConflictError, draftLifetimeMs, ReportDraftStore } from '../../intake/store/report-drafts.js';
import { ReportStore } from '../../intake/store/report-store.js';
import { minimalReport, testCipher } from '../support/fixtures.js';
import {
  createTestDatabase,
  testDatabaseKinds,
  warnIfPostgresSkipped,
  type TestDatabase,
} from '../support/test-databases.js';

warnIfPostgresSkipped();

describe.each(testDatabaseKinds)('drafts of the web form on %s', (kind) => {
  let database: TestDatabase;
  let drafts: ReportDraftStore;
  let reports: ReportStore;
  let clock = new Date('2026-03-01T00:00:00Z');
  const cipher = testCipher();

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    drafts = new ReportDraftStore({ db: database.db, cipher, now: () => clock });
    reports = new ReportStore({ db: database.db, cipher, now: () => clock });
  });
  afterAll(async () => database?.dispose());

  it('keeps a draft encrypted, finds it again by its resume code however it is typed, and saves each change', async () => {
    const draft = await drafts.create({ story: '돈을 보냈어요' });
    expect(draft.resumeCode).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(await drafts.findByResumeCode(draft.resumeCode.toLowerCase().replace(/-/g, ' ').replace(/0/g, 'o'))).toBe(
      draft.id,
    );
    expect(await drafts.findByResumeCode('0000-0000-0000')).toBeUndefined();
    expect(await drafts.findByResumeCode('not a code')).toBeUndefined();

    const updated = await drafts.update(draft.id, (content) => ({ ...(content as object), amount: '300만원' }));
    expect(updated.version).toBe(2);
    expect((await drafts.load(draft.id))?.content).toEqual({ story: '돈을 보냈어요', amount: '300만원' });
    const rows = JSON.stringify(await database.db.selectFrom('report_drafts').selectAll().execute());
    expect(rows).not.toContain('돈을');
    expect(rows).not.toContain(draft.resumeCode);
  });

  it('applies a change on top of another tab’s save instead of overwriting it', async () => {
    const draft = await drafts.create({ steps: [] as string[] });
    const add = (step: string) =>
      drafts.update(draft.id, (content) => ({ steps: [...(content as { steps: string[] }).steps, step] }));
    // Two tabs save at the same moment: both read version 1, one of them must go again.
    await Promise.all([add('money'), add('safety'), add('contacts')]);
    const final = await drafts.load(draft.id);
    expect([...(final?.content as { steps: string[] }).steps].sort()).toEqual(['contacts', 'money', 'safety']);
    expect(final?.version).toBe(4);
  });

  it('wipes a sent draft’s content, refuses further changes, and deletes drafts once expired', async () => {
    const draft = await drafts.create({ story: 'sent soon' });
    const { reportId } = await reports.submitReport(minimalReport(), {
      actor: 'test',
      idempotency: { scope: 'web-form', key: draft.id },
    });
    await drafts.markSubmitted(draft.id, reportId);
    const sent = await drafts.load(draft.id);
    expect(sent).toMatchObject({ status: 'submitted', reportId, content: null });
    await expect(drafts.update(draft.id, () => ({}))).rejects.toBeInstanceOf(DraftConflictError);
    expect(await reports.findSubmission({ scope: 'web-form', key: draft.id })).toMatchObject({ reportId });

    const abandoned = await drafts.create({ story: 'left half-way' });
    clock = new Date(clock.getTime() + draftLifetimeMs + 1000);
    expect(await drafts.load(abandoned.id)).toBeUndefined();
    expect(await drafts.findByResumeCode(abandoned.resumeCode)).toBeUndefined();
    expect(await drafts.purgeExpired()).toBeGreaterThanOrEqual(2);
    expect(await database.db.selectFrom('report_drafts').select('id').where('id', '=', abandoned.id).execute()).toEqual(
      [],
    );
    // The report itself is not touched by a draft's expiry.
    expect(await reports.getReportById(reportId)).toBeDefined();
  });
});
