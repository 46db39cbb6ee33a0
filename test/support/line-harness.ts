import { createHmac, randomBytes } from 'node:crypto';
import { assembleChatOutbox } from '../../app/assemble-conversations.js';
import { createPortal } from '../../app/create-portal.js';
import { decodeChoiceData } from '../../intake/conversation/choice-data.js';
import { startFakeLineApi } from './fake-line-api.js';
import type { TestDatabase } from './test-databases.js';
import { openTestServices, recordingLogger } from './test-services.js';

// In the form the configuration requires of a channel secret: 32 hex digits.
export const channelSecret = '0123456789abcdef0123456789abcdef';
const accessToken = 'line-channel-access-token-for-tests';

/** Signs a body exactly as LINE does: base64 of HMAC-SHA256 over the raw bytes, keyed with the channel secret. */
export function lineSignature(body: string, secret = channelSecret): string {
  return createHmac('sha256', secret).update(body, 'utf8').digest('base64');
}

/**
 * The LINE path of the product over a real database: the portal's webhook,
 * the event journal, the bot (@line/bot-sdk) talking to a fake LINE API on
 * 127.0.0.1, the conversation runner, the chat outbox and its worker, and
 * the intake. Each delivery waits for the events to be handled and for the
 * worker to send what they queued; `flush()` also moves the worker's clock
 * past every retry's wait.
 */
export async function createLineHarness(database: TestDatabase, userId = `U${randomBytes(16).toString('hex')}`) {
  const api = await startFakeLineApi(accessToken);
  /** The worker's and the outbox's clock: real time, plus what flush() skipped ahead. */
  let skippedMs = 0;
  const now = () => new Date(Date.now() + skippedMs);
  const logger = recordingLogger();
  const services = await openTestServices(database, {
    environment: {
      LINE_CHANNEL_ACCESS_TOKEN: accessToken,
      LINE_CHANNEL_SECRET: channelSecret,
      LINE_API_BASE_URL: api.baseUrl,
      LINE_DATA_API_BASE_URL: api.baseUrl,
      EVIDENCE_MAX_MB: '1',
    },
    logger,
    now,
  });
  const intake = services;
  const runner = services.conversationRunner;
  const line = services.line!;
  const chatWorker = services.chatWorker;
  /** The chat outbox the services write to, for a test that queues a message itself. */
  const outbox = assembleChatOutbox(services, now);
  /** Every failure the services logged: the webhook's, the events', the outbox worker's, the portal's. */
  const errors = logger.failures;
  // As the server does: the chat outbox worker sends the bot's answers and staff replies.
  chatWorker.start(60_000);
  const app = createPortal(services, logger);

  let counter = 0;
  function event(fields: Record<string, unknown>) {
    counter += 1;
    return {
      webhookEventId: `01HTEST${String(counter).padStart(19, '0')}`,
      deliveryContext: { isRedelivery: false },
      // Sent just now, as LINE does: its reply token is still valid.
      timestamp: Date.now(),
      source: { type: 'user', userId },
      replyToken: `reply-${counter}-${randomBytes(4).toString('hex')}`,
      mode: 'active',
      ...fields,
    };
  }

  async function deliver(events: Array<Record<string, unknown>>, options: { signature?: string } = {}) {
    const body = JSON.stringify({ destination: 'Ubot0000000000000000000000000000', events });
    const response = await app.request('/webhooks/line', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-line-signature': options.signature ?? lineSignature(body) },
      body,
    });
    // The webhook answered; let the events it recorded be worked off, and their answers sent, before looking.
    await line.processPending();
    await chatWorker.idle();
    return response;
  }

  /** Sends everything still pending, skipping the worker's clock past each retry's wait. */
  async function flush() {
    for (;;) {
      await chatWorker.idle();
      if ((await chatWorker.runOnce()) > 0) continue;
      const pending = await database.db
        .selectFrom('chat_outbox')
        // The latest wait: the messages queued behind a waiting head are due already, but not their turn.
        .select((eb) => eb.fn.max('next_attempt_at').as('due'))
        .where('status', '=', 'pending')
        .executeTakeFirst();
      if (!pending?.due) return;
      skippedMs += Math.max(1, new Date(String(pending.due)).getTime() - now().getTime() + 1);
    }
  }

  const message = (content: Record<string, unknown>) =>
    event({
      type: 'message',
      message: { id: String(468_789_577_898_262_530n + BigInt(counter)), quoteToken: 'q', ...content },
    });

  return {
    api,
    intake,
    userId,
    errors,
    runner,
    outbox,
    worker: chatWorker,
    line,
    flush,
    deliver,
    event,
    follow: () => deliver([event({ type: 'follow', follow: { isUnblocked: false } })]),
    text: (text: string) => deliver([message({ type: 'text', text })]),
    /** Presses the button of that value on the latest message showing one, as the person would. */
    choose: (value: string) => {
      const shown = api.calls
        .flatMap((call) => JSON.stringify(call.body?.messages ?? []).match(/"data":"q:[^"]*"/g) ?? [])
        .map((match) => JSON.parse(`{${match}}`) as { data: string })
        .map((entry) => entry.data)
        .findLast((data) => decodeChoiceData(data)?.value === value);
      // No such button shown: the data an old button (before buttons carried their question) sends.
      return deliver([event({ type: 'postback', postback: { data: shown ?? `c:${value}` } })]);
    },
    image: (bytes: Buffer) => {
      const id = String(500_000_000_000_000_000n + BigInt(counter + 1));
      api.addContent(id, bytes, 'image/png');
      counter += 1;
      return deliver([
        event({ type: 'message', message: { id, quoteToken: 'q', type: 'image', contentProvider: { type: 'line' } } }),
      ]);
    },
    sticker: () =>
      deliver([message({ type: 'sticker', packageId: '446', stickerId: '1988', stickerResourceType: 'STATIC' })]),
    /** Every text LINE showed this user (reply or push it took), Flex cards as their alt text. */
    shown: () => api.delivered.map((item) => item.message.text ?? item.message.altText ?? ''),
    close: async () => {
      await services.close();
      await api.close();
    },
  };
}
