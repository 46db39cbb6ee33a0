import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderOutputs } from '../../intake/conversation/chat-messages.js';
import { checkAnswerOutputs } from '../../intake/conversation/check-mode.js';
import { ConversationStore } from '../../intake/store/conversation-store.js';
import { createLineHarness } from '../support/line-harness.js';
import { createTelegramHarness, shownButton } from '../support/telegram-harness.js';
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from '../support/test-databases.js';
import { testI18n } from '../support/test-portal.js';
import {
  chatText,
  chatVerdictLine,
  onceReportedNumber,
  reportAndConfirm,
  warnedNumber,
} from './check-surface-fixture.js';

const messages = (language: string) => testI18n.getFixedT(language, 'messages');

/** One person on Telegram, in a private chat of their own, speaking through the fake Bot API. */
function telegramPerson(harness: Awaited<ReturnType<typeof createTelegramHarness>>, id: number, language: string) {
  let updateId = id * 1000;
  const from = { id, is_bot: false, first_name: 'P', language_code: language };
  const chat = { id, type: 'private' };
  return {
    text: (text: string) => {
      updateId += 1;
      const command = /^\/\w+/.exec(text)?.[0];
      return harness.post({
        update_id: updateId,
        message: {
          message_id: updateId,
          from,
          chat,
          date: 1_763_800_000,
          text,
          ...(command ? { entities: [{ offset: 0, length: command.length, type: 'bot_command' }] } : {}),
        },
      });
    },
    choose: (value: string) => {
      updateId += 1;
      const shown = shownButton(harness.api.delivered, id, value);
      return harness.post({
        update_id: updateId,
        callback_query: {
          id: `cbq-${updateId}`,
          from,
          message: { message_id: shown.messageId, chat, date: 1_763_800_000, text: '…' },
          chat_instance: '-1',
          data: shown.data,
        },
      });
    },
    shown: () => harness.api.delivered.filter((message) => message.chatId === id).map((message) => message.text),
  };
}

describe.each(testDatabaseKinds)('/check in the chats, against the fake platforms (%s)', (kind) => {
  let database: TestDatabase;
  // Each harness opens its services with its own data key, so each has its own database (a blind index is keyed).
  let lineDatabase: TestDatabase;
  let telegram: Awaited<ReturnType<typeof createTelegramHarness>>;
  let line: Awaited<ReturnType<typeof createLineHarness>>;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    telegram = await createTelegramHarness(database);
    lineDatabase = await createTestDatabase(kind);
    line = await createLineHarness(lineDatabase);
    await reportAndConfirm(telegram.intake);
    await reportAndConfirm(line.intake);
  });
  afterAll(async () => {
    await telegram?.close();
    await line?.close();
    await database?.dispose();
    await lineDatabase?.dispose();
  });

  it.each([
    // A Korean and a Vietnamese write the Thai number with its country code; a Thai writes it as Thais do.
    { language: 'ko', id: 8_100_001, warned: '+66 81 111 0002', once: '+66 81 555 0003' },
    { language: 'th', id: 8_100_002, warned: warnedNumber.local, once: onceReportedNumber.local },
    { language: 'vi', id: 8_100_003, warned: '+66 81 111 0002', once: '+66 81 555 0003' },
  ])(
    'on Telegram in $language: a warning for the confirmed number, none for the once-reported one, and the report resumes',
    async ({ language, id, warned, once }) => {
      const person = telegramPerson(telegram, id, language);
      await person.text('/start');
      await person.choose(language);
      await person.choose('safe');
      const story = 'The recruiter asked me for a deposit before the job.';
      await person.text(story);
      const question = person.shown().at(-1)!;

      await person.text('/check');
      expect(person.shown().at(-1)).toBe(chatText(language, 'check.ask'));
      const before = person.shown().length;
      await person.text(`ช่วยดูเบอร์นี้ ${warned}`);
      const answer = person.shown().slice(before);
      // The answer, then the question the report was at, asked again.
      expect(answer).toHaveLength(2);
      expect(answer[0]).toContain(chatVerdictLine(language, 'warning', warnedNumber.tail));
      expect(answer[0]).toContain(messages(language)('check.advice.job_deposit'));
      expect(answer[0]).not.toContain(messages(language)('check.advice.withdraw_fee'));
      expect(answer[1]).toBe(question);

      await person.text('/check');
      const beforeOnce = person.shown().length;
      await person.text(once);
      const noWarning = person.shown().slice(beforeOnce);
      expect(noWarning[0]).toContain(chatVerdictLine(language, 'no_warning', onceReportedNumber.tail));
      for (const advice of ['job_deposit', 'withdraw_fee', 'recovery_fee'])
        expect(noWarning[0]).toContain(messages(language)(`check.advice.${advice}`));
      expect(noWarning[1]).toBe(question);
      // Never the number itself back (its last four digits only), never a count of reports.
      for (const text of [...answer, ...noWarning]) {
        expect(text).not.toContain('1110002');
        expect(text).not.toContain('5550003');
        expect(text).not.toMatch(/\b[1-9]\d*\s*(reports?|신고|รายงาน|trình báo)/i);
      }

      // Nothing of the check is kept with who asked; what the report held is all still there.
      const stored = await new ConversationStore({ db: telegram.intake.db, cipher: telegram.intake.cipher }).load(
        'telegram',
        String(id),
      );
      const kept = JSON.stringify(stored?.state);
      expect(kept).not.toContain('1110002');
      expect(kept).not.toContain('5550003');
      expect(kept).not.toContain('checkReturn');
      expect(kept).toContain(story);
      expect((stored?.state as { state: { mode: string } }).state.mode).toBe('report');
    },
  );

  it('on LINE in Thai: the translated word starts a check, the warning comes, and the report goes on', async () => {
    await line.follow();
    await line.choose('th');
    await line.choose('safe');
    const question = line.shown().at(-1)!;
    // LINE has no slash commands: the Thai word does what /check does.
    await line.text(chatText('th', 'check.word'));
    expect(line.shown().at(-1)).toBe(chatText('th', 'check.ask'));
    const before = line.shown().length;
    await line.text(`เบอร์นี้ ${warnedNumber.local} ให้โอนค่ามัดจำก่อน`);
    const answer = line.shown().slice(before);
    expect(answer[0]).toContain(chatVerdictLine('th', 'warning', warnedNumber.tail));
    expect(answer[0]).toContain(messages('th')('check.advice.job_deposit'));
    expect(answer.at(-1)).toBe(question);

    await line.text('/check');
    const beforeOnce = line.shown().length;
    await line.text(onceReportedNumber.local);
    expect(line.shown()[beforeOnce]).toContain(chatVerdictLine('th', 'no_warning', onceReportedNumber.tail));
    // The story question is still the one to answer: the report goes on from there.
    await line.text('เขาให้โอนเงินค่ามัดจำก่อนเริ่มงาน');
    expect(line.shown().at(-1)).not.toBe(question);
    expect(line.errors).toEqual([]);
  });
});

describe.each(testDatabaseKinds)('/check as the first thing on LINE (%s)', (kind) => {
  let database: TestDatabase;
  let line: Awaited<ReturnType<typeof createLineHarness>>;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    line = await createLineHarness(database);
    await reportAndConfirm(line.intake);
  });
  afterAll(async () => {
    await line?.close();
    await database?.dispose();
  });

  it.each([
    { language: 'ko', userId: `U${'a'.repeat(32)}` },
    { language: 'vi', userId: `U${'b'.repeat(32)}` },
  ])(
    'someone whose LINE speaks $language checks before anything else, then is asked for a language',
    async ({ language, userId }) => {
      line.api.addProfile(userId, { displayName: 'P', language });
      let messageId = 0;
      const say = async (text: string) => {
        messageId += 1;
        const before = line.shown().length;
        await line.deliver([
          line.event({
            type: 'message',
            source: { type: 'user', userId },
            message: {
              id: `${userId.length}${language === 'ko' ? 7 : 8}00${messageId}`,
              quoteToken: 'q',
              type: 'text',
              text,
            },
          }),
        ]);
        return line.shown().slice(before);
      };
      expect(await say('/check')).toEqual([chatText(language, 'check.ask')]);
      const answer = await say('+66 81 111 0002');
      expect(answer[0]).toContain(chatVerdictLine(language, 'warning', warnedNumber.tail));
      expect(answer[0]).toContain(messages(language)('check.advice.job_deposit'));
      // Then the conversation starts where every one does: the choice of language.
      expect(answer.at(-1)).toBe(chatText(language, 'questions.language'));
      expect(line.errors).toEqual([]);
    },
  );
});

describe('the chat answer of a check', () => {
  it.each(['ko', 'th', 'vi'])(
    'links the dispute form under a warning only, and names each value by kind and last four characters (%s)',
    (language) => {
      const t = testI18n.getFixedT(language, 'conversation');
      const url = 'https://report.example.org/check/dispute';
      const render = (verdict: 'warning' | 'no_warning') =>
        renderOutputs(
          checkAnswerOutputs(
            {
              kind: 'checked',
              indicators: [
                {
                  kind: 'crypto_address',
                  shown: 'tron:TJ7hhYhVhaxNx6BPyq7yFpqZrQULL3JSdb',
                  verdict,
                  advice: ['general'],
                },
              ],
            },
            url,
          ),
          t,
        ).map((message) => (message.kind === 'text' ? message.text : ''));
      const [warning] = render('warning');
      expect(warning).toContain(t('check.disputeLink', { url }));
      expect(warning).toContain(t('check.warning', { what: t('portal:form.kind.crypto_address'), tail: 'JSdb' }));
      expect(warning).not.toContain('TJ7hhYhVhaxNx6BPyq7yFpqZrQULL3');
      const [none] = render('no_warning');
      expect(none).not.toContain(url);
    },
  );
});
