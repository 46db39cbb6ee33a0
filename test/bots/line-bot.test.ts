import { validateSignature } from '@line/bot-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLineHarness, lineSignature, channelSecret } from '../support/line-harness.js';
import { createTestDatabase, type TestDatabase } from '../support/test-databases.js';
import { testI18n } from '../support/test-portal.js';

/** What the bot says for a key, from the same translations it reads: the test names the message, not its wording. */
const say = (language: string) => testI18n.getFixedT(language, 'conversation');

const wallet = 'TThj8QM1oAy46uZhb3wguApBpMZooSDtKk';
const screenshot = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from('IHDR fake investment app balance page'),
]);

describe('the LINE bot, end to end against a fake LINE API', () => {
  let database: TestDatabase;
  let harness: Awaited<ReturnType<typeof createLineHarness>>;
  let earlierReference: string;

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    harness = await createLineHarness(database);
    harness.api.addProfile(harness.userId, { displayName: 'สมหญิง', language: 'th' });
    // Someone else paid the same wallet last month.
    earlierReference = (
      await harness.intake.reports.submitReport(
        {
          consent: { shareWithLawEnforcement: true },
          victim: { currentCountry: 'TH' },
          suspects: { wallets: [wallet] },
        },
        { actor: 'test' },
      )
    ).reference;
  });
  afterAll(async () => {
    await harness?.close();
    await database?.dispose();
  });

  it('refuses a bad or missing signature with 401, before storing anything', async () => {
    const before = await database.db.selectFrom('inbound_events').select('id').execute();
    const forged = await harness.deliver([harness.event({ type: 'follow', follow: { isUnblocked: false } })], {
      signature: lineSignature('{}'),
    });
    expect(forged.status).toBe(401);
    expect(await database.db.selectFrom('inbound_events').select('id').execute()).toEqual(before);
    expect(harness.api.calls).toEqual([]);
  });

  it('takes a Thai reporter of a fake investment app from follow to a stored, linked and routed report, with the receipt in the chat', async () => {
    expect((await harness.follow()).status).toBe(200);
    expect(harness.shown()[0]).toContain(say('th')('welcome'));
    const languageChoice = harness.api.callsTo('/v2/bot/message/reply').at(-1)?.body?.messages as Array<{
      quickReply?: { items: Array<{ action: { label: string } }> };
    }>;
    // The language of the LINE profile is offered first.
    expect(languageChoice.at(-1)?.quickReply?.items[0]?.action.label).toBe('ไทย');

    await harness.choose('th');
    await harness.choose('safe');
    await harness.text(`แอปลงทุนปลอม ThaiGold ให้โอน 1,500 USDT ไปที่ ${wallet} แล้วถอนเงินไม่ได้`);
    await harness.choose('yes');
    await harness.choose('investment_crypto');
    await harness.text('ThaiGold app');
    // The wallet the story named is not asked for again. More countries than quick replies allow: a card of buttons.
    const countryCard = harness.api.calls.at(-1)?.body?.messages as Array<{ type: string }>;
    expect(countryCard.at(-1)?.type).toBe('flex');
    await harness.choose('TH');
    await harness.choose('TH');
    await harness.image(screenshot);
    await harness.sticker();
    expect(harness.shown().some((text) => text.startsWith('ขอบคุณสำหรับสติกเกอร์'))).toBe(true);
    await harness.choose('done');
    await harness.choose('confirm');
    await harness.choose('yes');
    await harness.choose('yes');

    const receipt = harness.shown().find((text) => text.startsWith('บันทึกรายงานของคุณแล้ว'));
    expect(receipt).toMatch(/เลขรายงาน: RL-/);
    const reference = /RL-[0-9A-Z]{4}-[0-9A-Z]{4}/.exec(receipt!)![0];

    const stored = await harness.intake.reports.getReport(reference);
    expect(stored?.report).toMatchObject({
      channel: 'line',
      language: 'th',
      incident: { category: 'investment_crypto' },
      victim: { nationality: 'TH', currentCountry: 'TH' },
    });
    expect(stored?.report.evidence).toEqual([
      expect.objectContaining({ mediaType: 'image/png', size: screenshot.length }),
    ]);
    const linked = await harness.intake.links.linkedReports(stored!.report.id);
    expect(linked.map((entry) => entry.reference)).toEqual([earlierReference]);
    expect((await harness.intake.routing.getRouting(stored!.report.id))?.agencies[0]).toEqual({
      agencyId: 'th-rtp',
      role: 'primary',
    });
    expect(harness.errors).toEqual([]);
  });

  it('stores nothing new for a redelivered event', async () => {
    const event = harness.event({
      type: 'message',
      message: { id: '999', quoteToken: 'q', type: 'text', text: '/status' },
    });
    await harness.deliver([event]);
    const events = (await database.db.selectFrom('inbound_events').select('id').execute()).length;
    const calls = harness.api.calls.length;
    await harness.deliver([{ ...event, deliveryContext: { isRedelivery: true } }]);
    expect((await database.db.selectFrom('inbound_events').select('id').execute()).length).toBe(events);
    expect(harness.api.calls.length).toBe(calls);
  });

  it('stops the conversation when the person blocks the account, and welcomes them back where they were', async () => {
    await harness.deliver([harness.event({ type: 'unfollow' })]);
    expect((await database.db.selectFrom('conversations').select('status').executeTakeFirstOrThrow()).status).toBe(
      'stopped',
    );
    await harness.follow();
    expect((await database.db.selectFrom('conversations').select('status').executeTakeFirstOrThrow()).status).toBe(
      'active',
    );
    // Nothing they said was thrown away: they are welcomed back and asked the question they were at.
    const asked = harness.shown().at(-3);
    expect(harness.shown().slice(-2)).toEqual([say('th')('welcomeBack'), asked]);
  });

  it('pushes when the reply token has expired', async () => {
    const event = harness.event({
      type: 'message',
      message: { id: '1000', quoteToken: 'q', type: 'text', text: '/help' },
    });
    harness.api.expireReplyToken(String(event.replyToken));
    const pushes = harness.api.callsTo('/v2/bot/message/push').length;
    await harness.deliver([event]);
    expect(harness.api.callsTo('/v2/bot/message/push').length).toBe(pushes + 1);
  });
});

describe('LINE signatures', () => {
  it('accepts bodies signed the way LINE signs them, emoji and Thai included, and nothing else', () => {
    const body = JSON.stringify({
      destination: 'U1',
      events: [{ type: 'message', message: { type: 'text', text: 'ช่วยด้วย 😢🙏 โดนหลอก' } }],
    });
    const signature = lineSignature(body);
    expect(validateSignature(body, channelSecret, signature)).toBe(true);
    expect(validateSignature(Buffer.from(body, 'utf8'), channelSecret, signature)).toBe(true);
    expect(validateSignature(body.replace('😢', '🙂'), channelSecret, signature)).toBe(false);
    expect(validateSignature(body, 'another-secret', signature)).toBe(false);
  });
});
