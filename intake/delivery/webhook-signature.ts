import { Webhook } from 'standardwebhooks';

/**
 * Agency webhooks are signed as Standard Webhooks 1.0 specifies
 * (https://www.standardwebhooks.com, spec/standard-webhooks.md): the signed
 * content is `{webhook-id}.{webhook-timestamp}.{raw body}`, the signature is
 * the base64 HMAC-SHA256 of it keyed with the secret's bytes, sent as
 * `v1,<base64>`. Signing is done by the `standardwebhooks` package itself, so
 * any receiver using a Standard Webhooks library verifies it unchanged.
 */
export const webhookIdHeader = 'webhook-id';
export const webhookTimestampHeader = 'webhook-timestamp';
export const webhookSignatureHeader = 'webhook-signature';

/** The prefix the spec gives symmetric (HMAC) secrets, followed by the base64 of the key bytes. */
export const webhookSecretPrefix = 'whsec_';
/** The spec: "Random. At least 24 bytes (192 bits, 512 maximum)", read as 24 to 64 bytes. */
const minimumSecretBytes = 24;
const maximumSecretBytes = 64;

/** What a deployment is told when a secret is unusable; the secret itself is never repeated. */
export const webhookSecretFormat = `${webhookSecretPrefix} followed by the base64 of ${minimumSecretBytes} to ${maximumSecretBytes} random bytes, e.g. ${webhookSecretPrefix}$(openssl rand -base64 32)`;

/**
 * Why a value cannot be used as a Standard Webhooks signing secret, or
 * undefined when it can. The `standardwebhooks` package itself would take a
 * bare base64 string or a too-short key; a deployment's secret is held to the
 * spec instead, so an agency can paste it into any Standard Webhooks library.
 */
export function webhookSecretProblem(secret: string): string | undefined {
  if (!secret.startsWith(webhookSecretPrefix)) return `does not start with ${webhookSecretPrefix}`;
  const encoded = secret.slice(webhookSecretPrefix.length);
  const bytes = Buffer.from(encoded, 'base64');
  // Buffer.from skips characters it cannot read: only a string that encodes back to itself is base64.
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded) || bytes.toString('base64') !== encoded) {
    return `is not ${webhookSecretPrefix} followed by padded standard base64`;
  }
  if (bytes.length < minimumSecretBytes || bytes.length > maximumSecretBytes) {
    return `holds ${bytes.length} bytes (a secret needs ${minimumSecretBytes} to ${maximumSecretBytes})`;
  }
  return undefined;
}

/**
 * The three Standard Webhooks headers for one try of a delivery. `messageId`
 * is the delivery's id, the same on every retry; the timestamp is this try's.
 */
export function standardWebhookHeaders(
  secret: string,
  messageId: string,
  now: Date,
  body: string,
): Record<string, string> {
  if (messageId.includes('.')) throw new Error('a webhook id must not contain a full stop');
  return {
    [webhookIdHeader]: messageId,
    [webhookTimestampHeader]: String(Math.floor(now.getTime() / 1000)),
    [webhookSignatureHeader]: new Webhook(secret).sign(messageId, now, body),
  };
}
