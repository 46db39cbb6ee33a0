import { validateSignature, type webhook } from '@line/bot-sdk';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';

export interface LineWebhookDependencies {
  /** LINE_CHANNEL_SECRET: the key of the x-line-signature HMAC. */
  channelSecret: string;
  /** Stores the events durably; the webhook answers only after this. */
  record: (events: webhook.Event[]) => Promise<void>;
  /** Works the recorded events off, after the answer has gone back. */
  processPending: () => Promise<void>;
  onError: (error: unknown) => void;
}

/**
 * `POST /webhooks/line`: the signature is checked over the raw body before
 * anything is parsed or stored; the events are recorded, 200 goes back at
 * once (LINE wants a prompt answer), and the events are handled afterwards.
 */
export function createLineWebhook(dependencies: LineWebhookDependencies) {
  const app = new Hono();
  app.post('/webhooks/line', bodyLimit({ maxSize: 1024 * 1024, onError: (c) => c.json({ ok: false }, 413) }), async (c) => {
    const raw = await c.req.text();
    const signature = c.req.header('x-line-signature');
    if (!signature || !validateSignature(raw, dependencies.channelSecret, signature)) return c.json({ ok: false }, 401);
    let body: { events?: unknown };
    try {
      body = JSON.parse(raw) as { events?: unknown };
    } catch {
      return c.json({ ok: false }, 400);
    }
    if (!Array.isArray(body.events)) return c.json({ ok: false }, 400);
    await dependencies.record(body.events as webhook.Event[]);
    dependencies.processPending().catch(dependencies.onError);
    return c.json({ ok: true });
  });
  return app;
}
