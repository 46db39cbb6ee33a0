import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLineHarness } from '../support/line-harness.js';
import { createTestDatabase, type TestDatabase } from '../support/test-databases.js';
import { testI18n } from '../support/test-portal.js';

/**
 * The urgent burst on LINE: the numbers with the first press after the language, then the reference and the
 * location request in one reply (no paid push), with the location request last, where LINE shows its quick reply.
 */
describe('LINE: a held person gets the numbers at once and the reference in one reply', () => {
  let database: TestDatabase;
  let harness: Awaited<ReturnType<typeof createLineHarness>>;

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    harness = await createLineHarness(database);
  });
  afterAll(async () => {
    await harness?.close();
    await database?.dispose();
  });

  it('held in Laos, in Lao: numbers first, then reference and location request in one reply, location last', async () => {
    await harness.follow();
    await harness.choose('lo');
    const beforeHeld = harness.api.delivered.length;
    await harness.choose('held');
    const afterHeld = harness.api.delivered.slice(beforeHeld);
    const t = testI18n.getFixedT('lo', 'conversation');
    // The very first message after the press carries the numbers (its heading), never an empty text.
    expect(afterHeld[0]?.message.text ?? '').toContain(t('emergencyNumbers', { contacts: '' }).split('\n')[0]!.trim());
    expect(afterHeld[0]?.message.text ?? '').toMatch(/\d{3,}/);
    await harness.choose('me');
    const beforeConsent = harness.api.delivered.length;
    await harness.choose('yes');
    // Numbers, the reference, then the country question: one reply, its buttons on the last message only.
    const burst = harness.api.delivered.slice(beforeConsent);
    expect(burst.length).toBeGreaterThanOrEqual(2);
    expect(burst.length).toBeLessThanOrEqual(3);
    expect(burst.every((item) => item.via === 'reply')).toBe(true);
    const withReference = burst.findIndex((item) => /RL-[0-9A-Z]{4}-[0-9A-Z]{4}/.test(item.message.text ?? ''));
    expect(withReference).toBeGreaterThanOrEqual(0);
    expect(withReference).toBeLessThan(burst.length - 1);
    type Quick = { quickReply?: { items: Array<{ action: { type: string } }> } };
    // The country question's buttons are on the last message (a flex card of countries, or its quick reply).
    const countryQuestion = burst.at(-1)!.message as Quick & { type: string };
    expect(countryQuestion.type === 'flex' || (countryQuestion.quickReply?.items.length ?? 0) > 0).toBe(true);
    // Only the last message carries a quick reply: LINE would not show one anywhere else.
    for (const item of burst.slice(0, -1)) expect((item.message as Quick).quickReply).toBeUndefined();
    // The country: its numbers, then the location request last, in one reply.
    const beforeCountry = harness.api.delivered.length;
    await harness.choose('LA');
    const after = harness.api.delivered.slice(beforeCountry);
    expect(after.every((item) => item.via === 'reply')).toBe(true);
    expect(after[0]?.message.text ?? '').toMatch(/\d{3,}/);
    expect((after.at(-1)!.message as Quick).quickReply?.items.some((item) => item.action.type === 'location')).toBe(
      true,
    );
    for (const item of after.slice(0, -1)) expect((item.message as Quick).quickReply).toBeUndefined();
  });

  it('a photo sent after the urgent report and then unsent is listed for staff on the case, not silently kept', async () => {
    const reference = /RL-[0-9A-Z]{4}-[0-9A-Z]{4}/.exec(harness.shown().join('\n'))![0];
    const reportId = (await harness.intake.caseWork.reportIdOf(reference))!;
    const id = '910000000000000001';
    const png = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      Buffer.from('IHDR room'),
    ]);
    harness.api.addContent(id, png, 'image/png');
    await harness.deliver([
      harness.event({
        type: 'message',
        message: { id, quoteToken: 'q', type: 'image', contentProvider: { type: 'line' } },
      }),
    ]);
    const stored = await harness.intake.reports.getReportById(reportId);
    expect(stored?.report.evidence).toHaveLength(1);
    const before = harness.api.delivered.length;
    await harness.deliver([harness.event({ type: 'unsend', unsend: { messageId: id } })]);
    const t = testI18n.getFixedT('lo', 'conversation');
    expect(harness.api.delivered.slice(before).map((item) => item.message.text)).toContain(t('correctionNeedsStaff'));
    const notes = await harness.intake.caseWork.listNotes(reportId);
    expect(notes).toEqual([expect.objectContaining({ author: 'channel:line' })]);
    expect(notes[0]!.body).toContain(`sha256 ${stored!.report.evidence[0]!.sha256}`);
  });
});
