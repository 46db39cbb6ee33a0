import type { Transporter } from 'nodemailer';
import { errorCodeOf } from '../errors/error-code.js';
import { standardWebhookHeaders, webhookSecretProblem } from './webhook-signature.js';

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
  /** A Standard Webhooks secret: `whsec_` and the base64 of the key bytes. */
  secret: string;
}

export interface EmailTarget {
  to: string[];
}

/**
 * POSTs an event signed as Standard Webhooks 1.0 specifies (`webhook-id`,
 * `webhook-timestamp`, `webhook-signature`). `messageId` is the delivery's id,
 * the same on every retry, so a receiver can ignore a repeat; the timestamp
 * and signature are this try's. Only a 2xx answer counts as acknowledged;
 * anything else, a timeout or a refused connection is a failure to retry.
 */
export async function sendWebhook(
  target: WebhookTarget,
  messageId: string,
  body: string,
  options: { now: Date; timeoutMs?: number },
): Promise<void> {
  // Start-up refuses such a secret; this only guards a target built some other way.
  if (webhookSecretProblem(target.secret))
    throw new DeliveryError('the webhook secret is not a Standard Webhooks secret (whsec_…)', false);
  const headers = {
    'content-type': 'application/json',
    ...standardWebhookHeaders(target.secret, messageId, options.now, body),
    'user-agent': 'Reportline-Webhook/1',
  };
  let response: Response;
  try {
    response = await fetch(target.url, {
      method: 'POST',
      headers,
      body,
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      redirect: 'error',
    });
  } catch (error) {
    // The same code the logs use (node.ECONNREFUSED, unexpected.TimeoutError): staff and on-call search for one string.
    throw new DeliveryError(`webhook unreachable (${errorCodeOf(error)})`);
  }
  // Read only to free the connection: the answer is the status below, and a body cut off midway changes nothing.
  await response.arrayBuffer().catch(() => undefined);
  if (response.status < 200 || response.status >= 300)
    throw new DeliveryError(`webhook answered HTTP ${response.status}`);
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
    const code =
      (error as { code?: string; responseCode?: number }).responseCode ?? (error as { code?: string }).code ?? 'error';
    throw new DeliveryError(`SMTP delivery failed (${code})`);
  }
}
