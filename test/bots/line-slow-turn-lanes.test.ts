import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatEvidenceLimits } from '../../app/assemble-conversations.js';
import type { Services } from '../../app/open-services.js';
import { createLineBot } from '../../bots/line/line-bot.js';
import { InboundEventJournal } from '../../intake/store/inbound-event-journal.js';
import { startFakeLineApi } from '../support/fake-line-api.js';
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from '../support/test-databases.js';
import { openTestServices, recordingLogger } from '../support/test-services.js';

const accessToken = 'line-slow-turn-access-token-01234';

describe.each(testDatabaseKinds)('a slow LINE turn and the other people waiting (%s)', (kind) => {
  let database: TestDatabase;
  let services: Services;
  let api: Awaited<ReturnType<typeof startFakeLineApi>>;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    api = await startFakeLineApi(accessToken);
    services = await openTestServices(database, {
      environment: {
        LINE_CHANNEL_ACCESS_TOKEN: accessToken,
        LINE_CHANNEL_SECRET: '0123456789abcdef0123456789abcdef',
        LINE_API_BASE_URL: api.baseUrl,
        LINE_DATA_API_BASE_URL: api.baseUrl,
      },
      logger: recordingLogger(),
    });
    // As the server does: the chat outbox worker sends the answers the turns commit.
    services.chatWorker.start(60_000);
  });
  afterAll(async () => {
    await services?.close();
    await api?.close();
    await database?.dispose();
  });

  it('greets five other people while one person’s photo is still downloading', async () => {
    const journal = new InboundEventJournal({ db: services.db, cipher: services.cipher });
    const errors: unknown[] = [];
    const bot = createLineBot({
      channelAccessToken: accessToken,
      apiBaseUrl: api.baseUrl,
      dataApiBaseUrl: api.baseUrl,
      runner: services.conversationRunner,
      journal,
      i18n: services.i18n,
      evidence: { dir: services.config.dataDir, limits: chatEvidenceLimits(services.config.evidenceMaxBytes) },
      onError: (error) => errors.push(error),
    });
    let n = 0;
    const base = (userId: string) => {
      n += 1;
      return {
        webhookEventId: `01HSLOW${String(n).padStart(19, '0')}${randomBytes(2).toString('hex')}`,
        deliveryContext: { isRedelivery: false },
        timestamp: Date.now(),
        source: { type: 'user' as const, userId },
        replyToken: `slow-${n}-${randomBytes(4).toString('hex')}`,
        mode: 'active' as const,
      };
    };
    const person = () => `U${randomBytes(16).toString('hex')}`;

    // One person sends a photo whose download is slow (held at the fake LINE API until the test lets it go).
    const photoId = String(920_000_000_000_000_000n + BigInt(randomBytes(2).readUInt16BE()));
    api.addContent(
      photoId,
      Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('IHDR slow')]),
      'image/png',
    );
    const download = api.holdContent(photoId);
    const slow = {
      ...base(person()),
      type: 'message' as const,
      message: { id: photoId, quoteToken: 'q', type: 'image' as const, contentProvider: { type: 'line' as const } },
    };
    await bot.record([slow]);
    const slowRun = bot.processPending();
    await download.reached;

    // Meanwhile five other people add the bot, each in a webhook of their own.
    const others = Array.from({ length: 5 }, () => ({
      ...base(person()),
      type: 'follow' as const,
      follow: { isUnblocked: false },
    }));
    const calls: Array<Promise<void>> = [];
    for (const event of others) {
      await bot.record([event]);
      calls.push(bot.processPending());
    }

    // They are all greeted while the photo is still on its way: the slow turn holds up only its own person.
    // (A batch of four waited for its slowest: the fifth person waited for the photo.)
    const tokens = others.map((event) => event.replyToken);
    const replied = () => api.callsTo('/v2/bot/message/reply').map((call) => call.body?.replyToken);
    const greeted = api.until(() => tokens.every((token) => replied().includes(token)));
    await Promise.race([greeted, new Promise((resolve) => setTimeout(resolve, 20_000).unref())]);
    expect(replied()).toEqual(expect.arrayContaining(tokens));
    expect(await journal.isProcessed('line', slow.webhookEventId)).toBe(false);

    // The photo arrives: that person's turn is finished and answered too.
    download.release();
    await Promise.all([slowRun, ...calls]);
    expect(await journal.isProcessed('line', slow.webhookEventId)).toBe(true);
    await services.chatWorker.idle();
    expect(replied()).toContain(slow.replyToken);
    expect(errors).toEqual([]);
    await bot.stop();
  });
});
