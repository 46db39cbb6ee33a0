import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLineHarness } from '../support/line-harness.js';
import { createTelegramHarness } from '../support/telegram-harness.js';
import { createTestDatabase, type TestDatabase } from '../support/test-databases.js';

/**
 * A phone's lock screen and chat list show the start of a message to whoever
 * holds the phone. What staff or an agency write to a reporter reaches their
 * chat after a neutral first line; the status page keeps the message as written.
 */

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase('sqlite');
});
afterAll(async () => database?.dispose());

async function reportOfChat(harness: Awaited<ReturnType<typeof createTelegramHarness>>, language: string) {
  await harness.text('/start');
  const { reportId } = await harness.intake.reports.submitReport(
    { consent: { shareWithLawEnforcement: true, contactBack: true } },
    { actor: 'test' },
  );
  await database.db.updateTable('reports').set({ language }).where('id', '=', reportId).execute();
  await database.db.updateTable('conversations').set({ report_id: reportId }).execute();
  return reportId;
}

describe('a message from staff or an agency in the reporter’s chat', () => {
  it.each(['th', 'ar', 'en'])(
    'begins with the neutral line of the reporter’s language (%s), then the message',
    async (language) => {
      const telegram = await createTelegramHarness(database);
      try {
        const reportId = await reportOfChat(telegram, language);
        const shownBefore = telegram.sentTexts().length;
        const body = 'Thank you. We received your report RL-7K3M-9QX2. Royal Thai Police has taken it up.';
        const sent = await telegram.intake.messenger.send(reportId, body, 'user:1');
        expect(sent.chat).toBe('queued');
        await telegram.flush();
        const [shown, ...more] = telegram.sentTexts().slice(shownBefore);
        expect(more).toEqual([]);
        const [firstLine, blank, ...rest] = (shown ?? '').split('\n');
        expect(firstLine).toBe(telegram.intake.i18n.getFixedT(language, 'conversation')('newMessageFirstLine'));
        expect(firstLine).not.toMatch(/RL-|report|police/i);
        expect(blank).toBe('');
        expect(rest.join('\n')).toBe(body);
        // The status page shows what was written, without the chat's first line.
        expect((await telegram.intake.followups.getMessage(sent.messageId))?.body).toBe(body);
      } finally {
        await telegram.close();
        await database.db.deleteFrom('chat_outbox').execute();
        await database.db.deleteFrom('conversations').execute();
        await database.db.deleteFrom('processed_updates').execute();
      }
    },
  );

  it('begins with the neutral line on LINE too', async () => {
    const line = await createLineHarness(database);
    try {
      await line.text('/start');
      const { reportId } = await line.intake.reports.submitReport(
        { consent: { shareWithLawEnforcement: true, contactBack: true } },
        { actor: 'test' },
      );
      await database.db.updateTable('reports').set({ language: 'ko' }).where('id', '=', reportId).execute();
      await database.db.updateTable('conversations').set({ report_id: reportId }).execute();
      const before = line.shown().length;
      await line.intake.messenger.send(reportId, 'We received your report RL-7K3M-9QX2.', 'user:1');
      await line.flush();
      const shown = line.shown().slice(before).join('\n');
      expect(shown.split('\n')[0]).toBe(line.intake.i18n.getFixedT('ko', 'conversation')('newMessageFirstLine'));
    } finally {
      await line.close();
    }
  });
});
