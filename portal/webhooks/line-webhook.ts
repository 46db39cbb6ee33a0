import type { webhook } from '@line/bot-sdk';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { lineEventsOf } from './line-event-schema.js';

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
 * anything is parsed or stored; a body not in LINE's shape (see
 * line-event-schema.ts) is answered 400 and none of it is kept; the events
 * are recorded, 200 goes back at once (LINE wants a prompt answer), and the
 * events are handled afterwards; each turn's answer goes to the chat outbox
 * with the turn, for the worker to send.
 */
export function createLineWebhook(dependencies: LineWebhookDependencies) {
  const app = new Hono();
  app.post(
    '/webhooks/line',
    bodyLimit({ maxSize: 1024 * 1024, onError: (c) => c.json({ ok: false }, 413) }),
    async (c) => {
      const raw = await c.req.text();
      const signature = c.req.header('x-line-signature');
      // The SDK is imported at the first signed request, not with the portal: a server without LINE never loads it.
      const { validateSignature } = await import('@line/bot-sdk');
      if (!signature || !validateSignature(raw, dependencies.channelSecret, signature))
        return c.json({ ok: false }, 401);
      let body: unknown;
      try {
        body = JSON.parse(raw);
      } catch {
        return c.json({ ok: false }, 400);
      }
      // A signed body of the wrong shape is refused whole: none of its events is recorded.
      const events = lineEventsOf(body);
      if (!events) return c.json({ ok: false }, 400);
      await dependencies.record(events);
      dependencies.processPending().catch(dependencies.onError);
      return c.json({ ok: true });
    },
  );
  return app;
}
