import type { TFunction } from 'i18next';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { lineLabel, toLineMessages } from '../../bots/line/line-messages.js';
import { decodeChoiceData } from '../../intake/conversation/choice-data.js';
import type { ConversationOutput } from '../../intake/conversation/conversation-types.js';
import { ConversationStore } from '../../intake/store/conversation-store.js';
import { createLineHarness } from '../support/line-harness.js';
import { createTestDatabase, type TestDatabase } from '../support/test-databases.js';
import { testI18n } from '../support/test-portal.js';

/** What the bot says for a key, from the same translations it reads: the test names the message, not its wording. */
const say = (language: string) => testI18n.getFixedT(language, 'conversation');
const graphemes = (text: string) => [...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text)];

const png = (tag: string) =>
  Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from(`IHDR ${tag}`)]);
const mp4 = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypisom'), Buffer.alloc(12)]);
const m4a = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypM4A '), Buffer.alloc(12)]);

/** Labels in five scripts whose letters carry marks: more code points than graphemes. */
const labels: Record<string, string> = {
  // 20 graphemes, 33 code points: fits LINE's limit and must be kept whole.
  my: graphemes('ကျွန်ုပ်ကို ချုပ်နှောင်ထားပါတယ် ကူညီပါ')
    .slice(0, 20)
    .map((part) => part.segment)
    .join(''),
  vi: 'Tôi đang bị giữ trái phép ở đây',
  lo: 'ຂ້ອຍຖືກກັກຂັງຢູ່ບ່ອນນີ້ ກະລຸນາຊ່ວຍ',
  km: 'ខ្ញុំកំពុងត្រូវគេឃុំខ្លួន សូមជួយ',
  ar: 'أنا محتجز رغماً عني الآن',
};

describe('LINE labels and button data', () => {
  it('keeps a label of 20 graphemes whole, and cuts a longer one between graphemes, in five scripts', () => {
    expect(graphemes(labels.my!).length).toBe(20);
    expect([...labels.my!].length).toBeGreaterThan(20);
    expect(lineLabel(labels.my!)).toBe(labels.my);
    for (const [language, label] of Object.entries(labels)) {
      const shown = lineLabel(label);
      expect(graphemes(shown).length, language).toBeLessThanOrEqual(20);
      if (graphemes(label).length <= 20) expect(shown, language).toBe(label);
      else {
        // Whole graphemes of the label, then the ellipsis: never a letter without its marks.
        const kept = graphemes(shown)
          .slice(0, -1)
          .map((part) => part.segment);
        expect(
          graphemes(label)
            .slice(0, kept.length)
            .map((part) => part.segment),
          language,
        ).toEqual(kept);
        expect(shown.endsWith('…'), language).toBe(true);
      }
    }
  });

  it('puts the question of each button into its postback data', () => {
    const t = testI18n.getFixedT('km', 'conversation') as TFunction;
    const outputs: ConversationOutput[] = [
      {
        type: 'choices',
        key: 'questions.safety',
        question: 'safety',
        options: Object.entries(labels).map(([value, label]) => ({ value, label })),
      } as ConversationOutput,
    ];
    const [message] = toLineMessages(outputs, t) as Array<{
      quickReply?: { items: Array<{ action: { data: string; label: string } }> };
    }>;
    const items = message?.quickReply?.items ?? [];
    expect(items.map((item) => decodeChoiceData(item.action.data))).toEqual(
      Object.keys(labels).map((value) => ({ question: 'safety', value })),
    );
    for (const item of items) expect(item.action.data.length).toBeLessThanOrEqual(300);
  });
});

describe('the LINE edges: standby, groups, unsend, media and transcoding, against a fake LINE API', () => {
  let database: TestDatabase;
  let harness: Awaited<ReturnType<typeof createLineHarness>>;
  let eventNumber = 0;

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    harness = await createLineHarness(database);
  });
  afterAll(async () => {
    await harness?.close();
    await database?.dispose();
  });

  /** A person of their own, with a LINE profile in their language. */
  function person(language: string) {
    eventNumber += 1;
    const userId = `U${String(eventNumber).padStart(32, '0')}`;
    harness.api.addProfile(userId, { displayName: 'Test', language });
    return userId;
  }

  function event(fields: Record<string, unknown>) {
    eventNumber += 1;
    return harness.event({ webhookEventId: `01HEDGES${String(eventNumber).padStart(18, '0')}`, ...fields });
  }
  const from = (userId: string) => ({ source: { type: 'user', userId } });
  const follow = (userId: string) => event({ type: 'follow', follow: { isUnblocked: false }, ...from(userId) });
  const textFrom = (userId: string, text: string, id = String(9_000_000 + eventNumber)) =>
    event({ type: 'message', message: { id, type: 'text', text, quoteToken: 'q' }, ...from(userId) });
  const mediaFrom = (userId: string, id: string, type: string, extra: Record<string, unknown> = {}) =>
    event({
      type: 'message',
      message: { id, type, quoteToken: 'q', contentProvider: { type: 'line' }, ...extra },
      ...from(userId),
    });

  const shownTo = (userId: string) =>
    harness.api.delivered.filter((item) => item.to === userId || item.via === 'reply');
  const texts = (from: number) => harness.api.delivered.slice(from).map((item) => item.message.text ?? '');

  async function draftOf(userId: string) {
    const store = new ConversationStore({ db: harness.intake.db, cipher: harness.intake.cipher });
    const stored = await store.load('line', userId);
    return (stored?.state as { state: { draft: { evidence?: Array<{ mediaType: string }> } } } | undefined)?.state
      .draft;
  }

  /** The postback data of the button of that value in the latest reply or push. */
  function shownData(value: string): string {
    const latest = harness.api.calls.findLast(
      (call) => call.path === '/v2/bot/message/reply' || call.path === '/v2/bot/message/push',
    );
    const found = (JSON.stringify(latest?.body ?? {}).match(/"data":"[^"]*"/g) ?? [])
      .map((match) => (JSON.parse(`{${match}}`) as { data: string }).data)
      .find((data) => decodeChoiceData(data)?.value === value);
    if (!found) throw new Error(`no button ${value} shown`);
    return found;
  }
  const pressFrom = (userId: string, data: string) => event({ type: 'postback', postback: { data }, ...from(userId) });

  it('answers a press on an earlier question’s button with that, and the current question again', async () => {
    const userId = person('my');
    await harness.deliver([follow(userId)]);
    await harness.deliver([pressFrom(userId, shownData('my'))]);
    await harness.deliver([pressFrom(userId, shownData('safe'))]);
    await harness.deliver([textFrom(userId, 'ThaiGold က 1,500 USDT ကို TThj8QM1oAy46uZhb3wguApBpMZooSDtKk ပို့ခိုင်းတယ်')]);
    // "We found these in your message… Is this right?"
    const oldYes = shownData('yes');
    await harness.deliver([pressFrom(userId, oldYes)]);
    const before = harness.api.delivered.length;
    await harness.deliver([pressFrom(userId, oldYes)]);
    const after = texts(before);
    expect(after[0]).toBe(say('my')('earlierQuestion'));
    expect(after.at(-1)).toBe(say('my')('questions.category'));
  });

  it('does not answer events in standby mode, and keeps nothing of them', async () => {
    const userId = person('vi');
    const before = harness.api.delivered.length;
    await harness.deliver([{ ...textFrom(userId, 'Tôi cần giúp đỡ'), mode: 'standby' }]);
    expect(harness.api.delivered.length).toBe(before);
    expect(await draftOf(userId)).toBeUndefined();
  });

  it('tells a group and a room once, in the sender’s language, to write privately, and takes nothing from them', async () => {
    const userId = person('my');
    const before = harness.api.delivered.length;
    const group = { type: 'group', groupId: 'C4af4980629bbbbbbbbbbbbbbbbbbbbbb', userId };
    const room = { type: 'room', roomId: 'Ra8dbf4673cccccccccccccccccccccccc', userId };
    await harness.deliver([{ ...textFrom(userId, 'They took my passport'), source: group }]);
    await harness.deliver([{ ...textFrom(userId, '+95 9 123 456 789'), source: group }]);
    await harness.deliver([{ ...textFrom(userId, 'help'), source: room }]);
    expect(texts(before)).toEqual([say('my')('groupPrivateOnly'), say('my')('groupPrivateOnly')]);
    expect(await database.db.selectFrom('reports').select('id').execute()).toEqual([]);
    expect(await draftOf(userId)).toBeUndefined();
  });

  it('hands an unsent message to the conversation as taken back, by its message id', async () => {
    const userId = person('km');
    await harness.deliver([follow(userId)]);
    const handle = vi.spyOn(harness.runner, 'handle');
    try {
      await harness.deliver([textFrom(userId, 'ខ្ញុំត្រូវគេបោកប្រាស់', '7001')]);
      await harness.deliver([event({ type: 'unsend', unsend: { messageId: '7001' }, ...from(userId) })]);
      const inputs = handle.mock.calls.map((call) => call[2]);
      expect(inputs).toEqual([
        { type: 'text', text: 'ខ្ញុំត្រូវគេបោកប្រាស់', messageId: '7001' },
        { type: 'unsent', messageId: '7001' },
      ]);
    } finally {
      handle.mockRestore();
    }
  });

  it('waits for LINE to transcode a video and an audio message, then keeps both as evidence', async () => {
    const userId = person('lo');
    await harness.deliver([follow(userId)]);
    harness.api.addTranscodedContent('8101', mp4, 'video/mp4', ['processing', 'processing', 'succeeded']);
    harness.api.addTranscodedContent('8102', m4a, 'audio/x-m4a', ['processing', 'succeeded']);
    await harness.deliver([mediaFrom(userId, '8101', 'video', { duration: 6000 })]);
    await harness.deliver([mediaFrom(userId, '8102', 'audio', { duration: 3000 })]);
    expect(harness.api.callsTo('/v2/bot/message/8101/content/transcoding').length).toBe(3);
    expect((await draftOf(userId))?.evidence?.map((file) => file.mediaType)).toEqual(['video/mp4', 'audio/mp4']);
  });

  it('tells the person when LINE could not prepare a video, or no longer has an image, instead of silence', async () => {
    const userId = person('ar');
    await harness.deliver([follow(userId)]);
    harness.api.addTranscodedContent('8201', mp4, 'video/mp4', ['failed']);
    let before = harness.api.delivered.length;
    await harness.deliver([mediaFrom(userId, '8201', 'video', { duration: 6000 })]);
    expect(texts(before)).toContain(say('ar')('fileUnavailable'));
    before = harness.api.delivered.length;
    // Never added to the fake: LINE answers 404, the content is gone.
    await harness.deliver([mediaFrom(userId, '8202', 'image')]);
    expect(texts(before)).toContain(say('ar')('fileUnavailable'));
  });

  it('answers three images sent as one set once, and keeps all three', async () => {
    const userId = person('vi');
    await harness.deliver([follow(userId)]);
    for (const id of ['8301', '8302', '8303']) harness.api.addContent(id, png(id), 'image/png');
    const before = harness.api.delivered.length;
    const requests = harness.api.calls.length;
    await harness.deliver(
      ['8301', '8302', '8303'].map((id, index) =>
        mediaFrom(userId, id, 'image', { imageSet: { id: 'E005D41A7288F41B65', index: index + 1, total: 3 } }),
      ),
    );
    const answers = harness.api.calls
      .slice(requests)
      .filter((call) => call.path === '/v2/bot/message/reply' || call.path === '/v2/bot/message/push');
    expect(answers).toHaveLength(1);
    expect(harness.api.delivered.length).toBeGreaterThan(before);
    expect((await draftOf(userId))?.evidence).toHaveLength(3);
  });

  it('answers by push once the reply token is over a minute old, which LINE refuses', async () => {
    const userId = person('my');
    const sentAt = Date.now() - 70_000;
    const late = { ...follow(userId), timestamp: sentAt, replyToken: 'reply-token-from-70-seconds-ago' };
    harness.api.issueReplyToken(late.replyToken, sentAt);
    const pushes = harness.api.callsTo('/v2/bot/message/push').length;
    await harness.deliver([late]);
    expect(harness.api.callsTo('/v2/bot/message/push').length).toBeGreaterThan(pushes);
    expect(shownTo(userId).some((item) => item.via === 'push' && item.to === userId)).toBe(true);
  });

  it('stops the chat when the person blocked the account, and keeps their draft', async () => {
    const userId = person('km');
    await harness.deliver([follow(userId)]);
    await harness.deliver([textFrom(userId, 'ខ្ញុំត្រូវគេបោកប្រាស់ ហើយយកលុយ')]);
    const draft = await draftOf(userId);
    harness.api.failNext('/v2/bot/message/reply', { status: 403, message: 'Forbidden' });
    await harness.deliver([textFrom(userId, '/help')]);
    const store = new ConversationStore({ db: harness.intake.db, cipher: harness.intake.cipher });
    expect((await store.load('line', userId))?.status).toBe('stopped');
    expect(await draftOf(userId)).toEqual(draft);
  });
});
