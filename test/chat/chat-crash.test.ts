import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../intake/store/open-database.js';
import { startFakeLineApi } from '../support/fake-line-api.js';
import { startFakeTelegramApi } from '../support/fake-telegram-api.js';
import { createLineHarness, lineSignature } from '../support/line-harness.js';
import { freePort, runEntryPoint, type RunningProcess } from '../support/spawn-process.js';
import { createTelegramHarness } from '../support/telegram-harness.js';
import { createTestDatabase } from '../support/test-databases.js';

const telegramToken = '7000000001:AAcrash-test-token-0123456789';
const webhookSecret = 'crash-secret-0123456789';
const lineAccessToken = 'crash-line-access-token-0123456789';
const lineSecret = '0123456789abcdef0123456789abcdef';

/** The chat outbox of a stopped server's database: each message's chat order and state. */
async function outboxRows(dataDir: string) {
  const db = openDatabase({ kind: 'sqlite', filename: join(dataDir, 'reportline.db') });
  try {
    return await db.selectFrom('chat_outbox').select(['seq', 'status', 'attempts']).orderBy('seq').execute();
  } finally {
    await db.destroy();
  }
}

/**
 * `npm start` as a process of its own, so the test can kill it with SIGKILL
 * as a power cut or an OOM kill would. A lease of one second lets the
 * restarted server take over what the killed one had claimed.
 */
function startServer(environment: Record<string, string>, port: number): RunningProcess {
  const server = runEntryPoint('app/server.ts', [], {
    PORT: String(port),
    HOST: '127.0.0.1',
    CHAT_OUTBOX_LEASE_SECONDS: '1',
    CHAT_OUTBOX_POLL_SECONDS: '1',
    ...environment,
  });
  unstopped.add(server);
  void server.exited.then(() => unstopped.delete(server));
  return server;
}

/** Servers a test started and did not stop (it failed first): killed after it, so none keeps running for good. */
const unstopped = new Set<RunningProcess>();
afterEach(async () => {
  const left = [...unstopped];
  for (const server of left) server.child.kill('SIGKILL');
  await Promise.all(left.map((server) => server.exited));
});

/** The bots say they wait before the server listens: a webhook posted on that line alone can find no one there. */
async function serving(server: RunningProcess, port: number): Promise<void> {
  await server.waitForOutput(new RegExp(`serving on http://127\\.0\\.0\\.1:${port}/`));
}

async function stop(server: RunningProcess, signal: NodeJS.Signals): Promise<void> {
  server.child.kill(signal);
  await server.exited;
}

describe('a server killed between a turn’s commit and its send', () => {
  const folder = mkdtempSync(join(tmpdir(), 'reportline-chat-crash-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('Telegram: after the restart the person receives every message of that turn, in order, once', async () => {
    // What the turn says, from the same product in this process: the order the person must see.
    const reference = await createTestDatabase('sqlite');
    const harness = await createTelegramHarness(reference);
    await harness.text('/start');
    const expected = harness.sentTexts();
    await harness.close();
    await reference.dispose();
    expect(expected.length).toBeGreaterThan(1);

    const api = await startFakeTelegramApi(telegramToken);
    const port = await freePort();
    const dataDir = join(folder, 'telegram');
    const environment = {
      REPORTLINE_DATA_DIR: dataDir,
      REPORTLINE_DATA_KEY: randomBytes(32).toString('hex'),
      TELEGRAM_BOT_TOKEN: telegramToken,
      TELEGRAM_WEBHOOK_SECRET: webhookSecret,
      TELEGRAM_API_ROOT: api.apiRoot,
    };
    const update = {
      update_id: 1001,
      message: {
        message_id: 10_010,
        from: { id: 5551001, is_bot: false, first_name: '민수', language_code: 'ko' },
        chat: { id: 5551001, type: 'private', first_name: '민수' },
        date: 1_763_800_000,
        text: '/start',
        entities: [{ offset: 0, length: 6, type: 'bot_command' }],
      },
    };
    try {
      const first = startServer(environment, port);
      await first.waitForOutput(/waiting for updates at \/webhooks\/telegram/);
      await serving(first, port);
      // The Bot API takes nothing from now on: the worker's first send hangs unanswered.
      api.hold();
      const response = await fetch(`http://127.0.0.1:${port}/webhooks/telegram`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': webhookSecret },
        body: JSON.stringify(update),
      });
      // Answered 200: the turn and its answer are committed.
      expect(response.status).toBe(200);
      await api.heldCalls(1);
      await stop(first, 'SIGKILL');
      expect(api.delivered).toEqual([]);
      expect((await outboxRows(dataDir)).map((row) => row.status)).toEqual(expected.map(() => 'pending'));

      api.release();
      const second = startServer(environment, port);
      await api.deliveredCount(expected.length);
      await stop(second, 'SIGTERM');

      expect(api.delivered.map((message) => message.text)).toEqual(expected);
      expect(new Set(api.delivered.map((message) => message.chatId))).toEqual(new Set([5551001]));
      expect((await outboxRows(dataDir)).map((row) => row.status)).toEqual(expected.map(() => 'sent'));
    } finally {
      await api.close();
    }
  });

  it('LINE: after the restart the person receives every message of that turn, in order, once', async () => {
    const text = 'โดนหลอกลงทุน';
    const reference = await createTestDatabase('sqlite');
    const harness = await createLineHarness(reference);
    await harness.text(text);
    const expected = harness.shown();
    await harness.close();
    await reference.dispose();
    expect(expected.length).toBeGreaterThan(1);

    const api = await startFakeLineApi(lineAccessToken);
    const port = await freePort();
    const dataDir = join(folder, 'line');
    const environment = {
      REPORTLINE_DATA_DIR: dataDir,
      REPORTLINE_DATA_KEY: randomBytes(32).toString('hex'),
      LINE_CHANNEL_ACCESS_TOKEN: lineAccessToken,
      LINE_CHANNEL_SECRET: lineSecret,
      LINE_API_BASE_URL: api.baseUrl,
      LINE_DATA_API_BASE_URL: api.baseUrl,
    };
    const userId = `U${randomBytes(16).toString('hex')}`;
    // Stamped when LINE sends it, once the server is up: its reply token is good for 50 seconds from then, and a
    // start-up on a busy machine must not spend them.
    const lineEvent = () =>
      JSON.stringify({
        destination: 'Ubot',
        events: [
          {
            type: 'message',
            message: { id: '1', quoteToken: 'q', type: 'text', text },
            webhookEventId: '01HCRASH00000000000000000',
            deliveryContext: { isRedelivery: false },
            timestamp: Date.now(),
            source: { type: 'user', userId },
            replyToken: 'crash-reply-token',
            mode: 'active',
          },
        ],
      });
    try {
      const first = startServer(environment, port);
      await first.waitForOutput(/LINE bot waiting for events/);
      await serving(first, port);
      const body = lineEvent();
      api.hold();
      const response = await fetch(`http://127.0.0.1:${port}/webhooks/line`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-line-signature': lineSignature(body, lineSecret) },
        body,
      });
      expect(response.status).toBe(200);
      // The event was handled and its answer committed; the worker's first request hangs unanswered.
      await api.heldCalls(1);
      await stop(first, 'SIGKILL');
      expect(api.delivered).toEqual([]);
      const queued = await outboxRows(dataDir);
      expect(queued.length).toBeGreaterThan(0);
      expect(queued.every((row) => row.status === 'pending')).toBe(true);

      api.release();
      const second = startServer(environment, port);
      await api.deliveredCount(expected.length);
      await stop(second, 'SIGTERM');

      const shown = api.delivered.map((item) => item.message.text ?? item.message.altText ?? '');
      expect(shown).toEqual(expected);
      // The reply token was never used before the crash, so the restarted server still answers with it.
      expect(api.delivered[0]?.via).toBe('reply');
      expect(api.delivered.filter((item) => item.via === 'push').every((item) => item.to === userId)).toBe(true);
      expect((await outboxRows(dataDir)).every((row) => row.status === 'sent')).toBe(true);
    } finally {
      await api.close();
    }
  });
});
