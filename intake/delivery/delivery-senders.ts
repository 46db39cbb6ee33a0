import type { Transporter } from 'nodemailer';
import { eventIdHeader, signatureHeader, signWebhookBody, timestampHeader } from './webhook-signature.js';

/** A failure the dispatcher records and retries; its message never holds personal data. */
export class DeliveryError extends Error {
  constructor(
    message: string,
    /** False when retrying cannot help (no endpoint configured). */
    readonly retryable = true,
  ) {
    super(message);
  }
}

export interface WebhookTarget {
  url: string;
  secret: string;
}

export interface EmailTarget {
  to: string[];
}

/**
 * POSTs a case document. Only a 2xx answer counts as acknowledged; anything
 * else, a timeout or a refused connection is a failure to retry.
 */
export async function sendWebhook(
  target: WebhookTarget,
  eventId: string,
  body: string,
  options: { now: Date; timeoutMs?: number },
): Promise<void> {
  const timestamp = Math.floor(options.now.getTime() / 1000);
  let response: Response;
  try {
    response = await fetch(target.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [eventIdHeader]: eventId,
        [timestampHeader]: String(timestamp),
        [signatureHeader]: signWebhookBody(target.secret, timestamp, body),
        'user-agent': 'Reportline-Webhook/1',
      },
      body,
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      redirect: 'error',
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
    throw new DeliveryError(`webhook unreachable (${cause})`);
  }
  await response.arrayBuffer().catch(() => undefined);
  if (response.status < 200 || response.status >= 300) throw new DeliveryError(`webhook answered HTTP ${response.status}`);
}

export async function sendEmail(
  transport: Transporter,
  target: EmailTarget,
  message: { from: string; subject: string; text: string; eventId: string },
): Promise<void> {
  try {
    await transport.sendMail({
      from: message.from,
      to: target.to,
      subject: message.subject,
      text: message.text,
      // Lets a mail system recognise a repeated delivery of the same event.
      messageId: `<${message.eventId}@reportline>`,
      headers: { 'X-Reportline-Event-Id': message.eventId },
    });
  } catch (error) {
    const code = (error as { code?: string; responseCode?: number }).responseCode ?? (error as { code?: string }).code ?? 'error';
    throw new DeliveryError(`SMTP delivery failed (${code})`);
  }
}
