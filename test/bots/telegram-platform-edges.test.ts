import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTelegramBot } from '../../bots/telegram/telegram-bot.js';
import { decodeChoiceData, encodeChoiceData } from '../../intake/conversation/choice-data.js';
import type { ConversationRunner } from '../../intake/conversation/conversation-runner.js';
import type { ConversationOutput } from '../../intake/conversation/conversation-types.js';
import { errorCodeOf } from '../../intake/errors/error-code.js';
import { ConversationStore } from '../../intake/store/conversation-store.js';
import { startFakeTelegramApi } from '../support/fake-telegram-api.js';
import { createTelegramHarness } from '../support/telegram-harness.js';
import { createTestDatabase, type TestDatabase } from '../support/test-databases.js';
import { testI18n } from '../support/test-portal.js';

/** What the bot says for a key, from the same translations it reads: the test names the message, not its wording. */
const say = (language: string) => testI18n.getFixedT(language, 'conversation');

type Keyboard = { inline_keyboard?: Array<Array<{ text: string; callback_data: string }>>; remove_keyboard?: boolean };

/** A voice note as Telegram's clients record it: Ogg Opus. */
const voiceNote = Buffer.concat([Buffer.from('OggS'), Buffer.alloc(24), Buffer.from('OpusHead voice note')]);
const jpeg = (tag: string) => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from(`JFIF ${tag}`)]);

describe('the Telegram edges: presses, files, groups, /hide and the send rate, against a fake Bot API', () => {
  let database: TestDatabase;
  let harness: Awaited<ReturnType<typeof createTelegramHarness>>;
  let updateId = 700_000;
  let messageId = 100;

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    harness = await createTelegramHarness(database);
  });
  afterAll(async () => {
    await harness?.close();
    await database?.dispose();
  });

  function person(id: number, language: string) {
    return {
      from: { id, is_bot: false, first_name: 'Test', language_code: language },
      chat: { id, type: 'private', first_name: 'Test' },
    };
  }
  type Person = ReturnType<typeof person>;

  function send(who: Person, content: Record<string, unknown>, id = (messageId += 1)) {
    updateId += 1;
    return {
      update_id: updateId,
      message: { message_id: id, from: who.from, chat: who.chat, date: 1_763_800_000, ...content },
    };
  }

  function command(who: Person, text: string) {
    return send(who, { text, entities: [{ offset: 0, length: text.length, type: 'bot_command' }] });
  }

  /** A press on a button the fake really sent: its message id and its data, as Telegram reports them. */
  function press(who: Person, shown: { messageId: number; data: string }, queryId = `q${updateId + 1}`) {
    updateId += 1;
    return {
      update_id: updateId,
      callback_query: {
        id: queryId,
        from: who.from,
        message: {
          message_id: shown.messageId,
          from: { id: 7_000_000_001, is_bot: true, first_name: 'Reportline' },
          chat: who.chat,
          date: 1_763_800_000,
          text: '…',
        },
        chat_instance: String(-who.chat.id),
        data: shown.data,
      },
    };
  }

  const deliveredTo = (who: Person) => harness.api.delivered.filter((message) => message.chatId === who.chat.id);

  /** The latest message with buttons this person was shown, and the button whose value is `value`. */
  function button(who: Person, value: string) {
    const shown = deliveredTo(who).findLast((message) => (message.replyMarkup as Keyboard)?.inline_keyboard);
    const keyboard = (shown?.replyMarkup as Keyboard).inline_keyboard ?? [];
    const found = keyboard.flat().find((candidate) => decodeChoiceData(candidate.callback_data)?.value === value);
    if (!shown || !found) throw new Error(`no button ${value} shown`);
    return { messageId: shown.messageId, data: found.callback_data };
  }

  async function storedState(who: Person) {
    const store = new ConversationStore({ db: harness.intake.db, cipher: harness.intake.cipher });
    const stored = await store.load('telegram', String(who.chat.id));
    return stored?.state as { state: { step: string; draft: { evidence?: Array<{ mediaType: string }> } } };
  }

  it('counts a press although answering its query fails ("query is too old"), and never answers 500', async () => {
    const who = person(8_100_001, 'vi');
    await harness.post(command(who, '/start'));
    const shown = button(who, 'vi');
    const before = deliveredTo(who).length;
    const update = press(who, shown);
    // Pressed 20 seconds before the update reached us: Telegram refuses to answer the query now.
    harness.api.pressed(update.callback_query.id, 20_000);
    const response = await harness.post(update);
    expect(response.status).toBe(200);
    expect(harness.api.callsOf('answerCallbackQuery').length).toBeGreaterThan(0);
    // The choice counted: the conversation went on in Vietnamese.
    expect((await storedState(who)).state.step).not.toBe('language');
    expect(deliveredTo(who).length).toBeGreaterThan(before);
  });

  it('takes the keyboard off a message once its button was pressed', async () => {
    const who = person(8_100_002, 'lo');
    await harness.post(command(who, '/start'));
    const shown = button(who, 'lo');
    expect(harness.api.keyboardOf(who.chat.id, shown.messageId)?.length).toBeGreaterThan(0);
    expect((await harness.post(press(who, shown))).status).toBe(200);
    expect(harness.api.keyboardOf(who.chat.id, shown.messageId)).toEqual([]);
  });

  it('answers a press delivered twice at the same moment 200 both times, and acts on it once', async () => {
    const who = person(8_100_003, 'km');
    await harness.post(command(who, '/start'));
    const before = deliveredTo(who).length;
    const update = press(who, button(who, 'km'));
    const responses = await Promise.all([harness.post(update), harness.post(update)]);
    await harness.flush();
    expect(responses.map((response) => response.status)).toEqual([200, 200]);
    const after = deliveredTo(who).slice(before);
    expect(after.length).toBeGreaterThan(0);
    // One turn's answer, not two: no message arrived twice.
    expect(new Set(after.map((message) => message.text)).size).toBe(after.length);
  });

  it('puts the question each button answers into its data, within the 64 bytes Telegram allows', () => {
    const messages = harness.channel.render(
      [
        {
          type: 'choices',
          key: 'questions.consentShare',
          question: 'consentShare',
          options: [
            { value: 'yes', labelKey: 'buttons.yes' },
            { value: 'no', labelKey: 'buttons.no' },
          ],
        } as ConversationOutput,
      ],
      'ar',
      {},
    ) as Array<{ buttons?: Array<{ value: string }> }>;
    const data = messages.flatMap((message) => message.buttons ?? []).map((entry) => entry.value);
    expect(data.map((entry) => decodeChoiceData(entry))).toEqual([
      { question: 'consentShare', value: 'yes' },
      { question: 'consentShare', value: 'no' },
    ]);
    for (const entry of data) expect(Buffer.byteLength(entry, 'utf8')).toBeLessThanOrEqual(64);
    expect(() => encodeChoiceData('consentShare', 'x'.repeat(60))).toThrow();
  });

  it('takes a voice note, an audio file and a round video note as evidence', async () => {
    const who = person(8_100_004, 'my');
    await harness.post(command(who, '/start'));
    await harness.post(press(who, button(who, 'my')));
    harness.api.addFile('voice-1', voiceNote, 'voice/file_1.oga');
    harness.api.addFile('audio-1', Buffer.concat([Buffer.from('ID3'), Buffer.alloc(20)]), 'music/file_2.mp3');
    const roundVideo = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypisom'), Buffer.alloc(12)]);
    harness.api.addFile('note-1', roundVideo, 'video_notes/file_3.mp4');
    const responses = [
      await harness.post(send(who, { voice: { file_id: 'voice-1', file_unique_id: 'v1', duration: 4 } })),
      await harness.post(send(who, { audio: { file_id: 'audio-1', file_unique_id: 'a1', duration: 9 } })),
      await harness.post(
        send(who, { video_note: { file_id: 'note-1', file_unique_id: 'n1', length: 240, duration: 3 } }),
      ),
    ];
    expect(responses.map((response) => response.status)).toEqual([200, 200, 200]);
    const evidence = (await storedState(who)).state.draft.evidence ?? [];
    expect(evidence.map((file) => file.mediaType)).toEqual(['audio/ogg', 'audio/mpeg', 'video/mp4']);
    expect(deliveredTo(who).some((message) => message.text === say('my')('pleaseWrite'))).toBe(false);
  });

  it('thanks for a sticker with its own reply and asks the question again, not "please write your answer" (Vietnamese)', async () => {
    const who = person(8_100_031, 'vi');
    await harness.post(command(who, '/start'));
    await harness.post(press(who, button(who, 'vi')));
    await harness.post(press(who, button(who, 'safe')));
    const before = deliveredTo(who).length;
    const sticker = {
      file_id: 'st-1',
      file_unique_id: 'st1',
      type: 'regular',
      width: 512,
      height: 512,
      is_animated: false,
      is_video: false,
    };
    expect((await harness.post(send(who, { sticker }))).status).toBe(200);
    const texts = deliveredTo(who)
      .slice(before)
      .map((message) => message.text);
    expect(texts[0]).toBe(say('vi')('stickerReply'));
    expect(texts).not.toContain(say('vi')('pleaseWrite'));
    expect(texts.at(-1)).toBe(say('vi')('questions.narrative'));
  });

  it('gives a poll and a dice the kind reply and the question again, not "please write your answer" (Khmer)', async () => {
    const who = person(8_100_030, 'km');
    await harness.post(command(who, '/start'));
    await harness.post(press(who, button(who, 'km')));
    const step = (await storedState(who)).state.step;
    const before = deliveredTo(who).length;
    const poll = {
      id: 'poll-1',
      question: 'Yes?',
      options: [
        { text: 'a', voter_count: 0 },
        { text: 'b', voter_count: 0 },
      ],
      total_voter_count: 0,
      is_closed: false,
      is_anonymous: true,
      type: 'regular',
      allows_multiple_answers: false,
    };
    expect((await harness.post(send(who, { poll }))).status).toBe(200);
    expect((await harness.post(send(who, { dice: { emoji: '🎲', value: 4 } }))).status).toBe(200);
    const texts = deliveredTo(who)
      .slice(before)
      .map((message) => message.text);
    expect(texts.filter((text) => text === say('km')('notWordsReply'))).toHaveLength(2);
    expect(texts).not.toContain(say('km')('pleaseWrite'));
    expect(texts).not.toContain(say('km')('pleaseChoose'));
    // Nothing was taken as an answer: the same question is still the question.
    expect((await storedState(who)).state.step).toBe(step);
  });

  it('gives the too-large answer for a document over 20 MB that came without a size, not a 500', async () => {
    const who = person(8_100_005, 'ar');
    await harness.post(command(who, '/start'));
    harness.api.addTooBigFile('big-1');
    const response = await harness.post(send(who, { document: { file_id: 'big-1', file_unique_id: 'b1' } }));
    expect(response.status).toBe(200);
    expect(deliveredTo(who).map((message) => message.text)).toContain(say('ar')('fileTooLarge'));
  });

  it('tells the person when a file can no longer be downloaded, instead of silence', async () => {
    const who = person(8_100_006, 'vi');
    await harness.post(command(who, '/start'));
    harness.api.addGoneFile('gone-1', 'photos/file_9.jpg');
    const response = await harness.post(
      send(who, { photo: [{ file_id: 'gone-1', file_unique_id: 'g1', width: 800, height: 600 }] }),
    );
    expect(response.status).toBe(200);
    expect(deliveredTo(who).map((message) => message.text)).toContain(say('vi')('fileUnavailable'));
  });

  it('answers three photos sent together once, and keeps all three', async () => {
    const who = person(8_100_007, 'km');
    await harness.post(command(who, '/start'));
    await harness.post(press(who, button(who, 'km')));
    const before = deliveredTo(who).length;
    let afterFirst = 0;
    for (const index of [1, 2, 3]) {
      harness.api.addFile(`album-${index}`, jpeg(`album ${index}`), `photos/album_${index}.jpg`);
      await harness.post(
        send(who, {
          media_group_id: '13722219630465301',
          photo: [{ file_id: `album-${index}`, file_unique_id: `al${index}`, width: 800, height: 600 }],
        }),
      );
      if (index === 1) afterFirst = deliveredTo(who).length;
    }
    // The first photo is answered; the other two add nothing to the chat.
    expect(afterFirst).toBeGreaterThan(before);
    expect(deliveredTo(who).length).toBe(afterFirst);
    expect((await storedState(who)).state.draft.evidence?.length).toBe(3);
  });

  it('tells a group once, in the sender’s language, to write privately, and takes nothing from it', async () => {
    const group = { id: -1_001_234_567_890, type: 'supergroup', title: 'Workers' };
    const from = { id: 8_100_008, is_bot: false, first_name: 'Aung', language_code: 'my' };
    const inGroup = (text: string) => {
      updateId += 1;
      messageId += 1;
      return { update_id: updateId, message: { message_id: messageId, from, chat: group, date: 1_763_800_000, text } };
    };
    expect((await harness.post(inGroup('/start'))).status).toBe(200);
    expect((await harness.post(inGroup('They took my passport, +95 9 123 456 789'))).status).toBe(200);
    const toGroup = harness.api.delivered.filter((message) => message.chatId === group.id);
    expect(toGroup.map((message) => message.text)).toEqual([say('my')('groupPrivateOnly')]);
    const reports = await database.db.selectFrom('reports').select('id').execute();
    const stored = await new ConversationStore({ db: harness.intake.db, cipher: harness.intake.cipher }).load(
      'telegram',
      String(group.id),
    );
    // A finished conversation with nothing of what was said in the group: no story, no phone number.
    const kept = (stored?.state as { state: { mode: string; draft: Record<string, unknown> } }).state;
    expect(kept.mode).toBe('finished');
    expect(Object.keys(kept.draft).sort()).toEqual(['channel', 'language']);
    expect(reports).toEqual([]);
  });

  it('on /hide removes the bot’s messages and the person’s own (story, location), and the reply keyboard', async () => {
    const who = person(8_100_009, 'lo');
    await harness.post(command(who, '/start'));
    await harness.post(press(who, button(who, 'lo')));
    const story = send(who, { text: 'ເຂົາເອົາໜັງສືຜ່ານແດນຂອງຂ້ອຍໄປ' });
    const location = send(who, { location: { latitude: 17.9757, longitude: 102.6331 } });
    await harness.post(story);
    await harness.post(location);
    const botMessages = deliveredTo(who).map((message) => message.messageId);
    const hide = command(who, '/hide');
    await harness.post(hide);
    const deleted = harness.api
      .callsOf('deleteMessage')
      .filter((payload) => Number(payload.chat_id) === who.chat.id)
      .map((payload) => Number(payload.message_id));
    expect(deleted).toEqual(
      expect.arrayContaining([
        ...botMessages,
        story.message.message_id,
        location.message.message_id,
        hide.message.message_id,
      ]),
    );
    const afterHide = harness.api.callsOf('sendMessage').filter((payload) => Number(payload.chat_id) === who.chat.id);
    expect(afterHide.at(-1)?.reply_markup).toEqual({ remove_keyboard: true });
  });

  it('does not take an old "Yes" as the answer to the consent question; it says the button is from an earlier question', async () => {
    const who = person(8_100_013, 'vi');
    await harness.post(command(who, '/start'));
    await harness.post(press(who, button(who, 'vi')));
    await harness.post(press(who, button(who, 'safe')));
    await harness.post(
      send(who, {
        text: 'Sàn đầu tư giả VinaGold bắt tôi chuyển 1.500 USDT vào ví TThj8QM1oAy46uZhb3wguApBpMZooSDtKk',
      }),
    );
    // "We found these in your message… Is this right?": its Yes stays on screen.
    const oldYes = button(who, 'yes');
    await harness.post(press(who, oldYes));
    await harness.post(press(who, button(who, 'investment_crypto')));
    for (let i = 0; i < 10 && (await storedState(who)).state.step !== 'summary'; i += 1)
      await harness.post(command(who, '/skip'));
    await harness.post(press(who, button(who, 'confirm')));
    expect((await storedState(who)).state.step).toBe('consentShare');
    const before = deliveredTo(who).length;
    // The old keyboard again (Telegram keeps showing a message whose markup could not be removed).
    await harness.post(press(who, oldYes));
    const after = deliveredTo(who)
      .slice(before)
      .map((message) => message.text);
    expect(after[0]).toBe(say('vi')('earlierQuestion'));
    expect(after.at(-1)).toBe(say('vi')('questions.consentShare'));
    const state = (await storedState(who)).state as { step: string; draft: { consent?: unknown } };
    expect(state.step).toBe('consentShare');
    expect(state.draft.consent).toBeUndefined();
  });

  it('keeps the draft of someone who blocked the bot, and picks it up again when they /start after unblocking', async () => {
    const who = person(8_100_014, 'ar');
    await harness.post(command(who, '/start'));
    await harness.post(press(who, button(who, 'ar')));
    await harness.post(press(who, button(who, 'safe')));
    await harness.post(send(who, { text: 'عرضوا علي وظيفة في تايلاند وأخذوا جواز سفري' }));
    const draft = (await storedState(who)).state.draft;
    harness.api.failNext('sendMessage', { code: 403, description: 'Forbidden: bot was blocked by the user' });
    await harness.post(command(who, '/help'));
    const store = new ConversationStore({ db: harness.intake.db, cipher: harness.intake.cipher });
    expect((await store.load('telegram', String(who.chat.id)))?.status).toBe('stopped');
    expect((await storedState(who)).state.draft).toEqual(draft);
    const before = deliveredTo(who).length;
    await harness.post(command(who, '/start'));
    expect(deliveredTo(who)[before]?.text).toBe(say('ar')('welcomeBack'));
    expect((await storedState(who)).state.draft).toEqual(draft);
  });

  it('keeps the caption written with a photo as the person’s words, and the photo as evidence', async () => {
    const who = person(8_100_015, 'km');
    await harness.post(command(who, '/start'));
    await harness.post(press(who, button(who, 'km')));
    await harness.post(press(who, button(who, 'safe')));
    harness.api.addFile('captioned-1', jpeg('captioned'), 'photos/captioned.jpg');
    const caption = 'គេបានយកលិខិតឆ្លងដែនរបស់ខ្ញុំ នៅក្នុងអគារនេះ';
    await harness.post(
      send(who, {
        caption,
        photo: [{ file_id: 'captioned-1', file_unique_id: 'c1', width: 800, height: 600 }],
      }),
    );
    const draft = (await storedState(who)).state.draft as {
      incident?: { narrative?: string };
      evidence?: Array<{ mediaType: string }>;
    };
    expect(draft.incident?.narrative).toContain(caption);
    expect(draft.evidence?.map((file) => file.mediaType)).toEqual(['image/jpeg']);
  });

  it('keeps a shared contact card (the recruiter’s name and number) as the person’s words', async () => {
    const who = person(8_100_016, 'my');
    await harness.post(command(who, '/start'));
    await harness.post(press(who, button(who, 'my')));
    await harness.post(press(who, button(who, 'safe')));
    await harness.post(send(who, { contact: { phone_number: '+959123456789', first_name: 'Ko', last_name: 'Zaw' } }));
    const draft = (await storedState(who)).state.draft as { incident?: { narrative?: string } };
    expect(draft.incident?.narrative).toContain('+959123456789');
  });

  it('hands an edited message to the conversation as an edit of that message, by its id', async () => {
    const who = person(8_100_012, 'vi');
    const handle = vi.spyOn(harness.runner, 'handle');
    try {
      const story = send(who, { text: 'Họ giữ hộ chiếu của tôi' });
      await harness.post(story);
      updateId += 1;
      await harness.post({
        update_id: updateId,
        edited_message: { ...story.message, edit_date: 1_763_800_100, text: 'Họ giữ hộ chiếu của tôi ở Myawaddy' },
      });
      expect(handle.mock.calls.map((call) => call[2])).toEqual([
        { type: 'text', text: 'Họ giữ hộ chiếu của tôi', messageId: String(story.message.message_id) },
        { type: 'edited', messageId: String(story.message.message_id), text: 'Họ giữ hộ chiếu của tôi ở Myawaddy' },
      ]);
    } finally {
      handle.mockRestore();
    }
  });

  it('sends one chat’s answers although another chat waits out a long retry_after', async () => {
    const waiting = person(8_100_010, 'ar');
    const other = person(8_100_011, 'my');
    harness.api.failNext('sendMessage', {
      code: 429,
      description: 'Too Many Requests: retry after 600',
      retryAfter: 600,
    });
    await harness.post(command(waiting, '/start'));
    await harness.post(command(other, '/start'));
    expect(deliveredTo(waiting)).toEqual([]);
    expect(deliveredTo(other).length).toBeGreaterThan(0);
    await harness.flush();
    expect(deliveredTo(waiting).length).toBe(deliveredTo(other).length);
  });
});

describe('best-effort Bot API calls', () => {
  it('logs a refused callback answer under a code of its own, and still hands the press on', async () => {
    const token = '7000000001:AAbest-effort';
    const api = await startFakeTelegramApi(token);
    const errors: unknown[] = [];
    const inputs: unknown[] = [];
    const runner = {
      handle: async (_port: unknown, _user: string, input: unknown) => {
        inputs.push(input);
        return { outputs: [], language: 'ar', processed: true };
      },
    } as unknown as ConversationRunner;
    try {
      const bot = createTelegramBot({
        token,
        apiRoot: api.apiRoot,
        runner,
        i18n: testI18n,
        evidence: { dir: '/nonexistent', limits: { maxBytes: 1, allowedTypes: new Set() } },
        onError: (error) => errors.push(error),
      });
      api.pressed('late-press', 30_000);
      const chat = { id: 8_200_001, type: 'private' };
      await bot.handleUpdate({
        update_id: 1,
        callback_query: {
          id: 'late-press',
          from: { id: chat.id, is_bot: false, first_name: 'A' },
          // A message the fake never sent: taking its keyboard off fails too.
          message: { message_id: 77, date: 1_763_800_000, chat, text: '…' },
          chat_instance: '1',
          data: encodeChoiceData('safety', 'held'),
        },
      } as never);
      expect(inputs).toEqual([{ type: 'choice', question: 'safety', value: 'held' }]);
      expect(errors.map((error) => errorCodeOf(error))).toEqual([
        'telegram.answer_callback_failed',
        'telegram.keyboard_removal_failed',
      ]);
    } finally {
      await api.close();
    }
  });
});
