import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedWebhook {
  eventId: string;
  body: string;
  signatureValid: boolean;
}

/**
 * A webhook receiver written from the README alone: it checks
 * `X-Reportline-Signature: v1=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>`
 * and de-duplicates on `X-Reportline-Event-Id`. It answers 503 to the first
 * `failFirst` tries of each event, to make the sender retry.
 */
export async function startWebhookReceiver(secret: string, options: { failFirst?: number; alwaysFail?: boolean } = {}) {
  const triesByEvent = new Map<string, number>();
  const accepted: ReceivedWebhook[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const eventId = String(request.headers['x-reportline-event-id'] ?? '');
      const timestamp = String(request.headers['x-reportline-timestamp'] ?? '');
      const signature = String(request.headers['x-reportline-signature'] ?? '');
      const expected = `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
      const fresh = Math.abs(Date.now() / 1000 - Number(timestamp)) <= 300;
      const signatureValid =
        fresh && expected.length === signature.length && timingSafeEqual(Buffer.from(expected), Buffer.from(signature));
      const tries = (triesByEvent.get(eventId) ?? 0) + 1;
      triesByEvent.set(eventId, tries);
      if (!signatureValid) {
        response.writeHead(401).end();
        return;
      }
      if (options.alwaysFail || tries <= (options.failFirst ?? 0)) {
        response.writeHead(503).end();
        return;
      }
      accepted.push({ eventId, body, signatureValid });
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/cases`,
    accepted,
    triesByEvent,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface ReceivedMail {
  to: string[];
  raw: string;
}

/** A real SMTP server on 127.0.0.1 that keeps every message it accepts. */
export async function startSmtpReceiver() {
  const messages: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        messages.push({ to: session.envelope.rcptTo.map((rcpt) => rcpt.address), raw: Buffer.concat(chunks).toString('utf8') });
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
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
