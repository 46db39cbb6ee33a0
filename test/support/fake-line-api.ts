import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for api.line.me and api-data.line.me on 127.0.0.1, in the
 * Messaging API's wire format: reply and push (`{"sentMessages":[…]}`), user
 * profiles, and message content downloads. A reply token can be used once
 * and expires; a used or unknown one answers 400 `{"message":"Invalid reply token"}`,
 * as LINE does. Every request is recorded; `delivered` holds only the
 * messages the fake took, in order. It refuses what LINE refuses: more than
 * five messages in a request, an empty text or one over 5,000 characters
 * (400), and a push repeating an accepted `X-Line-Retry-Key` (409). A test
 * can make the next calls to a path fail (429 with Retry-After, 403, 500, a
 * dropped connection), or hold every message call unanswered and untaken.
 */
export interface LineCall {
  path: string;
  body: Record<string, unknown> | undefined;
  headers: Record<string, string | string[] | undefined>;
}

export type LineFailure = { status: number; message: string; retryAfter?: number } | { drop: true };

export interface DeliveredLineMessage {
  via: 'reply' | 'push';
  to?: string;
  message: { type: string; text?: string; altText?: string };
}

export const lineTextLimit = 5000;

export async function startFakeLineApi(channelAccessToken: string) {
  const calls: LineCall[] = [];
  const delivered: DeliveredLineMessage[] = [];
  const failures = new Map<string, LineFailure[]>();
  const acceptedRetryKeys = new Set<string>();
  const listeners = new Set<() => void>();
  let holding = false;
  let held = 0;

  function changed() {
    for (const listener of [...listeners]) listener();
  }

  /** Resolves once `condition` holds, checked after every request the fake sees: no polling, no sleep. */
  function until(condition: () => boolean): Promise<void> {
    return new Promise((resolve) => {
      if (condition()) return resolve();
      const listener = () => {
        if (!condition()) return;
        listeners.delete(listener);
        resolve();
      };
      listeners.add(listener);
    });
  }

  /** Why LINE would refuse these messages, if it would. */
  function refusal(messages: unknown[]): Record<string, unknown> | undefined {
    if (messages.length < 1 || messages.length > 5)
      return {
        message: 'The request body has 1 error(s)',
        details: [{ message: 'Size must be between 1 and 5', property: 'messages' }],
      };
    for (const [index, item] of messages.entries()) {
      const message = item as { type?: string; text?: unknown };
      if (message.type !== 'text') continue;
      const text = typeof message.text === 'string' ? message.text : '';
      if (text.trim() === '')
        return {
          message: 'The request body has 1 error(s)',
          details: [{ message: 'must be specified', property: `messages[${index}].text` }],
        };
      if (text.length > lineTextLimit)
        return {
          message: 'The request body has 1 error(s)',
          details: [{ message: 'Length must be between 0 and 5000', property: `messages[${index}].text` }],
        };
    }
    return undefined;
  }

  function take(via: 'reply' | 'push', to: string | undefined, messages: unknown[]) {
    for (const message of messages)
      delivered.push({ via, ...(to ? { to } : {}), message: message as DeliveredLineMessage['message'] });
  }

  const profiles = new Map<string, { displayName: string; language?: string }>();
  const contents = new Map<string, { bytes: Buffer; contentType: string }>();
  const usedReplyTokens = new Set<string>();
  const expiredReplyTokens = new Set<string>();
  let nextId = 500_000_000_000_000;

  const server: Server = createServer(async (request, response) => {
    response.on('finish', changed);
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : undefined;
    const path = (request.url ?? '/').split('?')[0]!;
    calls.push({ path, body, headers: request.headers });
    const json = (status: number, value: unknown) =>
      response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));

    if (request.headers.authorization !== `Bearer ${channelAccessToken}`) {
      return json(401, {
        message: 'Authentication failed. Confirm that the access token in the authorization header is valid.',
      });
    }
    const sent = (messages: unknown[]) => ({
      sentMessages: messages.map(() => ({ id: String((nextId += 1)), quoteToken: `q${nextId}` })),
    });
    const sending = request.method === 'POST' && (path === '/v2/bot/message/reply' || path === '/v2/bot/message/push');
    if (sending && holding) {
      // Never answered and never taken: as if the request had not reached LINE.
      held += 1;
      changed();
      return undefined;
    }
    const failure = failures.get(path)?.shift();
    if (failure && 'drop' in failure) {
      request.socket.destroy();
      changed();
      return undefined;
    }
    if (failure) {
      response.writeHead(failure.status, {
        'content-type': 'application/json',
        ...(failure.retryAfter !== undefined ? { 'retry-after': String(failure.retryAfter) } : {}),
      });
      response.end(JSON.stringify({ message: failure.message }));
      return undefined;
    }
    if (request.method === 'POST' && path === '/v2/bot/message/reply') {
      const token = String(body?.replyToken ?? '');
      const messages = (body?.messages as unknown[]) ?? [];
      const refused = refusal(messages);
      if (refused) return json(400, refused);
      if (usedReplyTokens.has(token) || expiredReplyTokens.has(token) || !token)
        return json(400, { message: 'Invalid reply token' });
      usedReplyTokens.add(token);
      take('reply', undefined, messages);
      return json(200, sent(messages));
    }
    if (request.method === 'POST' && path === '/v2/bot/message/push') {
      const messages = (body?.messages as unknown[]) ?? [];
      const refused = refusal(messages);
      if (refused) return json(400, refused);
      const retryKey = request.headers['x-line-retry-key'];
      if (typeof retryKey === 'string') {
        if (acceptedRetryKeys.has(retryKey)) {
          response.writeHead(409, { 'content-type': 'application/json', 'x-line-accepted-request-id': retryKey });
          response.end(JSON.stringify({ message: 'The retry key is already accepted' }));
          return undefined;
        }
        acceptedRetryKeys.add(retryKey);
      }
      take('push', typeof body?.to === 'string' ? body.to : undefined, messages);
      return json(200, sent(messages));
    }
    const profile = /^\/v2\/bot\/profile\/([^/]+)$/.exec(path);
    if (request.method === 'GET' && profile) {
      const known = profiles.get(profile[1]!);
      if (!known) return json(404, { message: 'Not found' });
      return json(200, {
        userId: profile[1],
        displayName: known.displayName,
        ...(known.language ? { language: known.language } : {}),
      });
    }
    const content = /^\/v2\/bot\/message\/([^/]+)\/content$/.exec(path);
    if (request.method === 'GET' && content) {
      const stored = contents.get(content[1]!);
      if (!stored) return json(404, { message: 'Not found' });
      response
        .writeHead(200, { 'content-type': stored.contentType, 'content-length': stored.bytes.length })
        .end(stored.bytes);
      return undefined;
    }
    return json(404, { message: 'Not found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    /** Both LINE_API_BASE_URL and LINE_DATA_API_BASE_URL point here. */
    baseUrl,
    calls,
    addProfile(userId: string, profile: { displayName: string; language?: string }) {
      profiles.set(userId, profile);
    },
    addContent(messageId: string, bytes: Buffer, contentType: string) {
      contents.set(messageId, { bytes, contentType });
    },
    expireReplyToken(token: string) {
      expiredReplyTokens.add(token);
    },
    callsTo(path: string) {
      return calls.filter((call) => call.path === path);
    },
    /** The messages the fake took (reply or push answered 200), in the order it took them. */
    delivered,
    failNext(path: string, failure: LineFailure) {
      failures.set(path, [...(failures.get(path) ?? []), failure]);
    },
    /** From now on every reply and push is held: read, never answered, never taken. */
    hold() {
      holding = true;
    },
    release() {
      holding = false;
    },
    /** Resolves once `count` replies or pushes are being held. */
    heldCalls: (count: number) => until(() => held >= count),
    /** Resolves once the fake has taken `count` messages. */
    deliveredCount: (count: number) => until(() => delivered.length >= count),
    until,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
