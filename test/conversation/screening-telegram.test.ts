import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeChoiceData } from '../../intake/conversation/choice-data.js';
import { createTelegramHarness } from '../support/telegram-harness.js';
import { createTestDatabase, type TestDatabase } from '../support/test-databases.js';

/** The screening against the fake Bot API, which refuses what Telegram refuses (callback data over 64 bytes…). */
describe('Telegram: the trafficking screening is one inline keyboard', () => {
  let database: TestDatabase;
  let harness: Awaited<ReturnType<typeof createTelegramHarness>>;
  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    harness = await createTelegramHarness(database);
  });
  afterAll(async () => {
    await harness?.close();
    await database?.dispose();
  });

  const screeningButtons = () => {
    const markup = harness.api.delivered.at(-1)?.replyMarkup as
      { inline_keyboard?: Array<Array<{ callback_data?: string }>> } | undefined;
    return (markup?.inline_keyboard ?? [])
      .flat()
      .map((button) => decodeChoiceData(button.callback_data ?? ''))
      .filter((choice) => choice?.question === 'screening')
      .map((choice) => choice!.value);
  };

  it('Khmer, in danger in Thailand: the story leads to the screening; presses amend the urgent report', async () => {
    await harness.text('/start');
    for (const value of ['km', 'danger', 'me', 'yes', 'TH']) await harness.choose(value);
    await harness.text('ពួកគេបានយកលិខិតឆ្លងដែនរបស់ខ្ញុំ ខ្ញុំមិនអាចចាកចេញបានទេ');
    await harness.text('/skip');
    expect(screeningButtons()).toHaveLength(8);
    await harness.choose('documents_taken');
    await harness.choose('not_free_to_leave');
    expect(screeningButtons()).toEqual([
      'debt_to_employer',
      'forced_to_scam',
      'threats_or_violence',
      'wages_withheld',
      'done',
      'skip',
    ]);
    await harness.choose('done');
    expect(screeningButtons()).toEqual([]);
    const report = await database.db.selectFrom('reports').select(['id', 'safety_flags']).executeTakeFirstOrThrow();
    expect(report.safety_flags.split(',')).toContain('likely_trafficking');
    const stored = await harness.intake.reports.getReportById(report.id);
    expect(stored?.report.screening).toEqual({ indicators: ['documents_taken', 'not_free_to_leave'] });
  });
});
