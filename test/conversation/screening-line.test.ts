import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeChoiceData } from '../../intake/conversation/choice-data.js';
import { createLineHarness } from '../support/line-harness.js';
import { createTestDatabase, type TestDatabase } from '../support/test-databases.js';

/** The screening against the fake LINE API, which refuses what LINE refuses (labels, item counts, data sizes). */
describe('LINE: the trafficking screening is one list of buttons LINE accepts', () => {
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

  /** The screening's buttons on the last message LINE was given. */
  const screeningButtons = () => {
    const last = JSON.stringify(harness.api.delivered.at(-1)?.message ?? {});
    return (last.match(/"data":"q:[^"]*"/g) ?? [])
      .map((match) => decodeChoiceData((JSON.parse(`{${match}}`) as { data: string }).data))
      .filter((choice) => choice?.question === 'screening')
      .map((choice) => choice!.value);
  };

  it('Burmese, held in Thailand: the story leads to the screening; a press amends the urgent report', async () => {
    await harness.follow();
    for (const value of ['my', 'held', 'me', 'yes', 'TH']) await harness.choose(value);
    await harness.text('သူတို့က ကျွန်တော့် ပတ်စပို့ကို ယူထားတယ်။ ကျွန်တော် ထွက်သွားလို့ မရဘူး။');
    await harness.text('/skip');
    // Held was answered: "not free to leave" is not offered.
    expect(screeningButtons()).toEqual([
      'documents_taken',
      'debt_to_employer',
      'forced_to_scam',
      'threats_or_violence',
      'wages_withheld',
      'done',
      'skip',
    ]);
    await harness.choose('threats_or_violence');
    expect(screeningButtons()).not.toContain('threats_or_violence');
    await harness.choose('done');
    expect(screeningButtons()).toEqual([]);
    const reference = /RL-[0-9A-Z]{4}-[0-9A-Z]{4}/.exec(harness.shown().join('\n'))![0];
    const reportId = (await harness.intake.caseWork.reportIdOf(reference))!;
    const stored = await harness.intake.reports.getReportById(reportId);
    expect(stored?.report.screening).toEqual({ indicators: ['threats_or_violence'] });
  });
});
