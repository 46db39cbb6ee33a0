import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startFakeLineApi } from '../support/fake-line-api.js';
import { lineSignature } from '../support/line-harness.js';
import { freePort, runEntryPoint } from '../support/spawn-process.js';

describe('npm start with a LINE channel', () => {
  const folder = mkdtempSync(join(tmpdir(), 'reportline-line-wiring-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('answers 200 to a signed webhook call and replies through the configured API', async () => {
    const accessToken = 'wiring-line-access-token-0123456789';
    const secret = '0123456789abcdef0123456789abcdef';
    const api = await startFakeLineApi(accessToken);
    const port = await freePort();
    const server = runEntryPoint('app/server.ts', [], {
      REPORTLINE_DATA_DIR: join(folder, 'data'),
      PORT: String(port),
      HOST: '127.0.0.1',
      LINE_CHANNEL_ACCESS_TOKEN: accessToken,
      LINE_CHANNEL_SECRET: secret,
      LINE_API_BASE_URL: api.baseUrl,
      LINE_DATA_API_BASE_URL: api.baseUrl,
    });
    try {
      await server.waitForOutput(/LINE bot waiting for events/);
      const body = JSON.stringify({
        destination: 'Ubot',
        events: [
          {
            type: 'message',
            message: { id: '1', quoteToken: 'q', type: 'text', text: 'โดนหลอกลงทุน' },
            webhookEventId: '01HWIRING0000000000000000',
            deliveryContext: { isRedelivery: false },
            // Sent just now: the reply token is still valid when the answer goes out.
            timestamp: Date.now(),
            source: { type: 'user', userId: 'Uwiring0000000000000000000000000' },
            replyToken: 'wiring-reply-token',
            mode: 'active',
          },
        ],
      });
      const post = (signature: string) =>
        fetch(`http://127.0.0.1:${port}/webhooks/line`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-line-signature': signature },
          body,
        });
      expect((await post(lineSignature(body, 'ffffffffffffffffffffffffffffffff'))).status).toBe(401);
      expect((await post(lineSignature(body, secret))).status).toBe(200);
      // Handled after the answer, then sent by the chat outbox worker.
      await api.deliveredCount(1);
      const reply = api.callsTo('/v2/bot/message/reply')[0];
      expect(reply?.body?.replyToken).toBe('wiring-reply-token');
      expect(server.output()).not.toContain('โดนหลอก');
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
      await api.close();
    }
  });
});
