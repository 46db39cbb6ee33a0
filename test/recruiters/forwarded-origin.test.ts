import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeChoiceData } from '../../intake/conversation/choice-data.js';
import { createTelegramHarness } from '../support/telegram-harness.js';
import { createTestDatabase, type TestDatabase } from '../support/test-databases.js';

type Keyboard = { inline_keyboard?: Array<Array<{ callback_data: string }>> };

/**
 * Two people who each forward the recruiter's message (or share the recruiter's contact card) to the bot, through
 * the webhook, as Telegram sends them (Bot API `forward_origin`: MessageOriginUser, MessageOriginHiddenUser,
 * MessageOriginChat, MessageOriginChannel, each with its `date`; `contact` with `user_id`), are linked by the
 * account, though neither wrote its handle.
 */
describe('recruiters from forwarded Telegram messages, end to end against the fake Bot API', () => {
  let database: TestDatabase;
  let harness: Awaited<ReturnType<typeof createTelegramHarness>>;
  let updateId = 900_000;
  let messageId = 500;

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    harness = await createTelegramHarness(database);
  });
  afterAll(async () => {
    await harness?.close();
    await database?.dispose();
  });

  function person(id: number) {
    return {
      from: { id, is_bot: false, first_name: 'Test', language_code: 'th' },
      chat: { id, type: 'private', first_name: 'Test' },
    };
  }
  type Person = ReturnType<typeof person>;

  function send(who: Person, content: Record<string, unknown>) {
    updateId += 1;
    messageId += 1;
    return {
      update_id: updateId,
      message: { message_id: messageId, from: who.from, chat: who.chat, date: 1_763_800_000, ...content },
    };
  }
  const command = (who: Person, text: string) =>
    send(who, { text, entities: [{ offset: 0, length: text.length, type: 'bot_command' }] });

  function press(who: Person, value: string) {
    const shown = harness.api.delivered.findLast(
      (message) => message.chatId === who.chat.id && (message.replyMarkup as Keyboard)?.inline_keyboard,
    );
    const data = (shown?.replyMarkup as Keyboard | undefined)?.inline_keyboard
      ?.flat()
      .find((button) => decodeChoiceData(button.callback_data)?.value === value)?.callback_data;
    if (!shown || !data) throw new Error(`no button ${value} shown`);
    updateId += 1;
    return {
      update_id: updateId,
      callback_query: {
        id: `q${updateId}`,
        from: who.from,
        message: {
          message_id: shown.messageId,
          from: { id: 7_000_000_001, is_bot: true, first_name: 'R' },
          chat: who.chat,
          date: 1_763_800_000,
          text: '…',
        },
        chat_instance: String(-who.chat.id),
        data,
      },
    };
  }

  /** Someone held in Cambodia reports at once (the urgent report is stored), then forwards the recruiter's message. */
  async function reportThenForward(who: Person, forwarded: Record<string, unknown>): Promise<string> {
    await harness.post(command(who, '/start'));
    await harness.post(press(who, 'th'));
    await harness.post(press(who, 'held'));
    await harness.post(press(who, 'me'));
    await harness.post(press(who, 'yes'));
    await harness.post(press(who, 'KH'));
    await harness.post(send(who, forwarded));
    const before = await database.db.selectFrom('reports').select('id').orderBy('id', 'desc').executeTakeFirstOrThrow();
    const reports = [before];
    return reports[0]!.id;
  }

  async function linked(reportId: string): Promise<string[]> {
    return (await harness.intake.links.linkedReports(reportId)).map((entry) => entry.reportId);
  }

  async function leadsOf(reportId: string) {
    return (await harness.intake.reports.getReportById(reportId))!.report.suspects.forwardedFrom;
  }

  const recruiterUser = {
    id: 6_021_447_001,
    is_bot: false,
    first_name: 'Job',
    last_name: 'Agent',
    username: 'BestJobs_TH',
  };

  it('links two reports whose people forwarded from one user, by the user id (the second origin has no username)', async () => {
    const first = await reportThenForward(person(8_300_001), {
      text: 'งานแอดมิน เงินเดือน 40,000 บาท บินฟรี',
      forward_origin: { type: 'user', sender_user: recruiterUser, date: 1_763_700_000 },
    });
    const { username: _username, ...renamed } = recruiterUser;
    const second = await reportThenForward(person(8_300_002), {
      text: 'ส่งพาสปอร์ตมาก่อนนะ',
      forward_origin: { type: 'user', sender_user: { ...renamed, first_name: 'Someone else' }, date: 1_763_710_000 },
    });
    expect(await leadsOf(first)).toEqual([
      { via: 'telegram_user', userId: recruiterUser.id, username: 'BestJobs_TH', name: 'Job Agent' },
    ]);
    expect(await linked(second)).toEqual([first]);
    // The forwarded words are the person's story, as before.
    expect((await harness.intake.reports.getReportById(second))!.report.incident.narrative).toContain('ส่งพาสปอร์ต');
  });

  it('links two reports forwarded from one channel post and from one chat, by the chat id', async () => {
    const channel = { id: -1_001_987_654_321, type: 'channel', title: 'Jobs abroad TH', username: 'jobs_abroad_th' };
    const a = await reportThenForward(person(8_300_003), {
      text: 'รับสมัครด่วน',
      forward_origin: { type: 'channel', chat: channel, message_id: 77, date: 1_763_700_100 },
    });
    const b = await reportThenForward(person(8_300_004), {
      text: 'รับสมัครด่วน รอบสอง',
      forward_origin: {
        type: 'channel',
        chat: { ...channel, username: undefined },
        message_id: 78,
        date: 1_763_700_200,
        author_signature: 'Admin',
      },
    });
    expect(await linked(b)).toEqual([a]);

    const group = { id: -1_002_111_222_333, type: 'supergroup', title: 'Work in Cambodia' };
    const c = await reportThenForward(person(8_300_005), {
      text: 'ทำงานออนไลน์',
      forward_origin: { type: 'chat', sender_chat: group, date: 1_763_700_300 },
    });
    const d = await reportThenForward(person(8_300_006), {
      text: 'ทำงานออนไลน์ ได้เงินดี',
      forward_origin: { type: 'chat', sender_chat: group, author_signature: 'HR', date: 1_763_700_400 },
    });
    expect(await linked(d)).toEqual([c]);
    expect(await linked(c)).not.toContain(a);
  });

  it('links a photo forwarded from a channel without a word to the report forwarded from it in words', async () => {
    const channel = { id: -1_003_444_555_666, type: 'channel', title: 'Visa and tickets' };
    const words = await reportThenForward(person(8_300_011), {
      text: 'ส่งรูปพาสปอร์ตมา',
      forward_origin: { type: 'channel', chat: channel, message_id: 5, date: 1_763_700_700 },
    });
    harness.api.addFile(
      'forwarded-ticket',
      Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('JFIF ticket')]),
      'photos/ticket.jpg',
    );
    const photo = await reportThenForward(person(8_300_012), {
      photo: [{ file_id: 'forwarded-ticket', file_unique_id: 'ticket', width: 800, height: 600, file_size: 15 }],
      forward_origin: { type: 'channel', chat: channel, message_id: 6, date: 1_763_700_800 },
    });
    expect(await linked(photo)).toEqual([words]);
    expect((await harness.intake.reports.getReportById(photo))!.report.evidence).toHaveLength(1);
  });

  it('keeps a hidden user’s name for staff but links nothing by it', async () => {
    const e = await reportThenForward(person(8_300_007), {
      text: 'โอนค่าเอกสาร',
      forward_origin: { type: 'hidden_user', sender_user_name: 'HR Manager', date: 1_763_700_500 },
    });
    const f = await reportThenForward(person(8_300_008), {
      text: 'โอนค่าเอกสารด่วน',
      forward_origin: { type: 'hidden_user', sender_user_name: 'HR Manager', date: 1_763_700_600 },
    });
    expect(await leadsOf(f)).toEqual([{ via: 'telegram_hidden_user', name: 'HR Manager' }]);
    expect(await linked(f)).not.toContain(e);
    const stored = await harness.intake.reports.getReportById(f);
    expect(stored!.indicators.filter((indicator) => indicator.source.startsWith('suspects.forwardedFrom'))).toEqual([]);
  });

  it('links two reports by a shared contact card: its phone number, and its user id as the forwarded user', async () => {
    const g = await reportThenForward(person(8_300_009), {
      contact: { phone_number: '855962345678', first_name: 'Mr', last_name: 'Lee', user_id: recruiterUser.id },
    });
    const h = await reportThenForward(person(8_300_010), {
      contact: { phone_number: '+855 96 234 5678', first_name: 'Lee' },
    });
    expect(await linked(h)).toContain(g);
    const phones = (await harness.intake.reports.getReportById(h))!.indicators.filter((i) => i.kind === 'phone');
    expect(phones.map((indicator) => indicator.value)).toContain('+855962345678');
    // The card's user id is the account the first test's people forwarded from.
    expect(await linked(g)).toEqual(expect.arrayContaining([h]));
    expect((await linked(g)).length).toBeGreaterThanOrEqual(3);
  });
});
