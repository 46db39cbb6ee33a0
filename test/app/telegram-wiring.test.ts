import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startFakeTelegramApi } from '../support/fake-telegram-api.js';
import { freePort, runEntryPoint } from '../support/spawn-process.js';
import { testI18n } from '../support/test-portal.js';

describe('npm start with a Telegram bot token', () => {
  const folder = mkdtempSync(join(tmpdir(), 'reportline-telegram-wiring-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('answers Telegram updates posted to /webhooks/telegram through the configured Bot API', async () => {
    const token = '7000000001:AAwiring-test-token-0123456789';
    const api = await startFakeTelegramApi(token);
    const port = await freePort();
    const server = runEntryPoint('app/server.ts', [], {
      REPORTLINE_DATA_DIR: join(folder, 'data'),
      PORT: String(port),
      HOST: '127.0.0.1',
      TELEGRAM_BOT_TOKEN: token,
      TELEGRAM_WEBHOOK_SECRET: 'wiring-secret-0123456789',
      TELEGRAM_API_ROOT: api.apiRoot,
    });
    try {
      await server.waitForOutput(/waiting for updates at \/webhooks\/telegram/);
      const update = {
        update_id: 42,
        message: {
          message_id: 7,
          from: { id: 99, is_bot: false, first_name: 'Ana', language_code: 'fil' },
          chat: { id: 99, type: 'private' },
          date: 1_763_800_000,
          text: 'Tulong, na-scam ako',
        },
      };
      const post = (secret: string) =>
        fetch(`http://127.0.0.1:${port}/webhooks/telegram`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret },
          body: JSON.stringify(update),
        });
      expect((await post('not-the-secret')).status).toBe(401);
      expect((await post('wiring-secret-0123456789')).status).toBe(200);
      // Answered once the turn was committed; the chat outbox worker sends the answer right after.
      await api.deliveredCount(1);
      const sent = api.callsOf('sendMessage');
      expect(sent[0]).toMatchObject({ chat_id: 99 });
      // The greeting, in the language of the person's Telegram account.
      expect(String(sent[0]?.text)).toContain(testI18n.getFixedT('fil', 'conversation')('welcome'));
      expect(server.output()).not.toContain('Tulong');
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
      await api.close();
    }
  });
});
