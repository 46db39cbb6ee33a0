import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';

export interface ReceivedWebhook {
  /** The `webhook-id` header: the delivery's id, the same on every retry. */
  eventId: string;
  body: string;
}

export interface RefusedWebhook {
  eventId: string;
  /** Why `Webhook.verify` refused it, e.g. "No matching signature found" or "Message timestamp too old". */
  reason: string;
}

/**
 * A webhook receiver as an agency would write it from the README: it verifies
 * each call with the `standardwebhooks` library's own `Webhook.verify` (the
 * signature over `webhook-id.webhook-timestamp.body`, and a timestamp within
 * 5 minutes), answers 401 to anything it refuses, and keys retries on
 * `webhook-id`. It answers 503 to the first `failFirst` tries of each event,
 * to make the sender retry.
 */
export async function startWebhookReceiver(secret: string, options: { failFirst?: number; alwaysFail?: boolean } = {}) {
  const verifier = new Webhook(secret);
  const triesByEvent = new Map<string, number>();
  const accepted: ReceivedWebhook[] = [];
  const refused: RefusedWebhook[] = [];
  /** The next event is held (not answered) until released: a delivery caught on its way. */
  let held: { reached: () => void; released: Promise<void> } | undefined;
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const eventId = String(request.headers['webhook-id'] ?? '');
      const headers = {
        'webhook-id': eventId,
        'webhook-timestamp': String(request.headers['webhook-timestamp'] ?? ''),
        'webhook-signature': String(request.headers['webhook-signature'] ?? ''),
      };
      try {
        verifier.verify(body, headers);
      } catch (error) {
        if (!(error instanceof WebhookVerificationError)) throw error;
        refused.push({ eventId, reason: error.message });
        response.writeHead(401).end();
        return;
      }
      const tries = (triesByEvent.get(eventId) ?? 0) + 1;
      triesByEvent.set(eventId, tries);
      if (options.alwaysFail || tries <= (options.failFirst ?? 0)) {
        response.writeHead(503).end();
        return;
      }
      const hold = held;
      held = undefined;
      const answer = () => {
        accepted.push({ eventId, body });
        response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      };
      if (!hold) return answer();
      hold.reached();
      void hold.released.then(answer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/cases`,
    accepted,
    refused,
    triesByEvent,
    /** Holds the next event's answer: `reached` settles when it arrives, `release()` lets it be accepted. */
    holdNext() {
      let reached!: () => void;
      let release!: () => void;
      const arrived = new Promise<void>((resolve) => (reached = resolve));
      const released = new Promise<void>((resolve) => (release = resolve));
      held = { reached, released };
      return { reached: arrived, release };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface ReceivedMail {
  to: string[];
  raw: string;
}

/** The text of a received mail, whichever transfer encoding nodemailer chose for it. */
export function mailText(raw: string): string {
  const [head = '', ...rest] = raw.split(/\r?\n\r?\n/);
  const body = rest.join('\n\n');
  if (/content-transfer-encoding:\s*base64/i.test(head))
    return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (/content-transfer-encoding:\s*quoted-printable/i.test(head))
    return Buffer.from(
      body
        .replace(/=\r?\n/g, '')
        .replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
      'latin1',
    ).toString('utf8');
  return body;
}

/**
 * A real SMTP server on 127.0.0.1 that keeps every message it accepts. `refuse` answers the next messages with an
 * SMTP error instead (451: try later; 550: refused for good), as a mail server that is down or rejects the address.
 */
export async function startSmtpReceiver() {
  const messages: ReceivedMail[] = [];
  const refusals: number[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const refusal = refusals.shift();
        if (refusal !== undefined)
          return callback(Object.assign(new Error('refused by the test'), { responseCode: refusal }));
        messages.push({
          to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    messages,
    /** Answers each of the next messages with the given SMTP code, in order. */
    refuse(...codes: number[]) {
      refusals.push(...codes);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
