import { timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';

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
 * token we gave it. An update is answered 200 only once it is handled, so a
 * failure makes Telegram deliver it again; a repeated update_id changes
 * nothing the second time.
 */
export function createTelegramWebhook({ secret, handleUpdate }: TelegramWebhookDependencies) {
  const app = new Hono();
  app.post('/webhooks/telegram', bodyLimit({ maxSize: 1024 * 1024, onError: (c) => c.json({ ok: false }, 413) }), async (c) => {
    if (!sameSecret(c.req.header('x-telegram-bot-api-secret-token'), secret)) return c.json({ ok: false }, 401);
    let update: unknown;
    try {
      update = await c.req.json();
    } catch {
      return c.json({ ok: false }, 400);
    }
    if (typeof (update as { update_id?: unknown })?.update_id !== 'number') return c.json({ ok: false }, 400);
    await handleUpdate(update as { update_id: number });
    return c.json({ ok: true });
  });
  return app;
}
