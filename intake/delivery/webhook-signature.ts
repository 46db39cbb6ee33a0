import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The webhook signature, documented in the README so that a receiver can check
 * it with nothing but HMAC-SHA256: the signed text is the timestamp, a dot and
 * the exact body bytes; the header carries `v1=` and the hex digest.
 */
export const signatureHeader = 'x-reportline-signature';
export const timestampHeader = 'x-reportline-timestamp';
export const eventIdHeader = 'x-reportline-event-id';

export function signWebhookBody(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex')}`;
}

/** What a receiver does; used by our own tests as a second, independent check. */
export function verifyWebhookSignature(
  secret: string,
  headers: { signature: string | undefined; timestamp: string | undefined },
  body: string,
  nowSeconds: number,
  toleranceSeconds = 300,
): boolean {
  const timestamp = Number(headers.timestamp);
  if (!headers.signature || !Number.isInteger(timestamp) || Math.abs(nowSeconds - timestamp) > toleranceSeconds) return false;
  const expected = Buffer.from(signWebhookBody(secret, timestamp, body));
  const given = Buffer.from(headers.signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
