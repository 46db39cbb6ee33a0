import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatEvidenceLimits } from '../../app/assemble-conversations.js';
import type { Services } from '../../app/open-services.js';
import { createLineBot } from '../../bots/line/line-bot.js';
import type { Channel } from '../../intake/report/report-schema.js';
import { InboundEventJournal } from '../../intake/store/inbound-event-journal.js';
import { startFakeLineApi } from '../support/fake-line-api.js';
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from '../support/test-databases.js';
import { openTestServices, recordingLogger } from '../support/test-services.js';

const accessToken = 'line-wake-up-access-token-0123456';

/**
 * The journal as the bot uses it, with one seam: the worker's last look (when an event held by a lease can next
 * be claimed, asked once a run found nothing more to claim) can be held at the moment it is made, so a test can
 * record an event and call for work exactly then, as a webhook arriving at that instant does.
 */
class JournalWithHeldLastLook extends InboundEventJournal {
  #held: { reached: () => void; released: Promise<void> } | undefined;

  /** Holds the next last look; `reached` resolves when the worker is in it, `release` lets it go on. */
  holdNextLastLook(): { reached: Promise<void>; release: () => void } {
    let reached = () => {};
    let release = () => {};
    const reachedPromise = new Promise<void>((resolve) => (reached = resolve));
    const released = new Promise<void>((resolve) => (release = resolve));
    this.#held = { reached, released };
    return { reached: reachedPromise, release };
  }

  override async nextClaimableAt(channel: Channel): Promise<Date | null> {
    const held = this.#held;
    this.#held = undefined;
    if (held) {
      held.reached();
      await held.released;
    }
    return super.nextClaimableAt(channel);
  }
}

describe.each(testDatabaseKinds)('the LINE journal worker and a call for work during its last look (%s)', (kind) => {
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

  it('answers an event recorded while the worker made its last look, without waiting for another webhook', async () => {
    const journal = new JournalWithHeldLastLook({ db: services.db, cipher: services.cipher });
    const errors: unknown[] = [];
    const bot = createLineBot({
      channelAccessToken: accessToken,
      apiBaseUrl: api.baseUrl,
      dataApiBaseUrl: api.baseUrl,
      runner: services.conversationRunner,
      journal,
      i18n: services.i18n,
      evidence: {
        dir: services.config.dataDir,
        limits: chatEvidenceLimits(services.config.evidenceMaxBytes),
      },
      onError: (error) => errors.push(error),
    });
    const follow = (userId: string, n: number) => ({
      type: 'follow' as const,
      follow: { isUnblocked: false },
      webhookEventId: `01HWAKE${String(n).padStart(19, '0')}${randomBytes(2).toString('hex')}`,
      deliveryContext: { isRedelivery: false },
      timestamp: Date.now(),
      source: { type: 'user' as const, userId },
      replyToken: `wake-${n}-${randomBytes(4).toString('hex')}`,
      mode: 'active' as const,
    });
    const first = follow(`U${randomBytes(16).toString('hex')}`, 1);
    const second = follow(`U${randomBytes(16).toString('hex')}`, 2);

    // The first person's event is handled; then the run finds nothing more and makes its last look: held there.
    await bot.record([first]);
    const lastLook = journal.holdNextLastLook();
    const firstRun = bot.processPending();
    await lastLook.reached;
    expect(await journal.isProcessed('line', first.webhookEventId)).toBe(true);

    // At that moment a second person's webhook comes in: recorded, and work called for (as the webhook does).
    await bot.record([second]);
    const secondCall = bot.processPending();
    lastLook.release();
    await Promise.all([firstRun, secondCall]);

    // The call was answered by the run it met: the second person's event is handled and they are greeted now,
    // not when some later webhook or the server's next round comes by.
    expect(await journal.isProcessed('line', second.webhookEventId)).toBe(true);
    await services.chatWorker.idle();
    const replied = api.callsTo('/v2/bot/message/reply').map((call) => call.body?.replyToken);
    expect(replied).toContain(first.replyToken);
    expect(replied).toContain(second.replyToken);
    expect(errors).toEqual([]);
    await bot.stop();
  });
});
