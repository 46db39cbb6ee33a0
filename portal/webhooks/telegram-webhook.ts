import { timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { telegramUpdateOf } from './telegram-update-schema.js';

export interface TelegramWebhookDependencies {
  /** TELEGRAM_WEBHOOK_SECRET, given to Telegram with setWebhook's secret_token. */
  secret: string;
  handleUpdate: (update: { update_id: number }) => Promise<void>;
}

function sameSecret(given: string | undefined, expected: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * `POST /webhooks/telegram`: Telegram proves each delivery with the secret
 * token we gave it. An update not in the Bot API's shape (see
 * telegram-update-schema.ts) is answered 400 and not handed to the bot. An
 * update is answered 200 once its turn is committed, with the answer waiting in
 * the chat outbox (the worker sends it: a failed send never makes this answer
 * 500). A failure before the commit makes Telegram deliver it again; a
 * repeated update_id changes nothing the second time.
 */
export function createTelegramWebhook({ secret, handleUpdate }: TelegramWebhookDependencies) {
  const app = new Hono();
  app.post(
    '/webhooks/telegram',
    bodyLimit({ maxSize: 1024 * 1024, onError: (c) => c.json({ ok: false }, 413) }),
    async (c) => {
      if (!sameSecret(c.req.header('x-telegram-bot-api-secret-token'), secret)) return c.json({ ok: false }, 401);
      let body: unknown;
      try {
        body = await c.req.json();
      } catch {
        return c.json({ ok: false }, 400);
      }
      // An update of the wrong shape never reaches the bot.
      const update = telegramUpdateOf(body);
      if (!update) return c.json({ ok: false }, 400);
      await handleUpdate(update);
      return c.json({ ok: true });
    },
  );
  return app;
}
