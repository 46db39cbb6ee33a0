import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for api.line.me and api-data.line.me on 127.0.0.1, in the
 * Messaging API's wire format: reply and push (`{"sentMessages":[…]}`), user
 * profiles, and message content downloads. A reply token can be used once
 * and expires; a used or unknown one answers 400 `{"message":"Invalid reply token"}`,
 * as LINE does. Every request is recorded.
 */
export interface LineCall {
  path: string;
  body: Record<string, unknown> | undefined;
  headers: Record<string, string | string[] | undefined>;
}

export async function startFakeLineApi(channelAccessToken: string) {
  const calls: LineCall[] = [];
  const profiles = new Map<string, { displayName: string; language?: string }>();
  const contents = new Map<string, { bytes: Buffer; contentType: string }>();
  const usedReplyTokens = new Set<string>();
  const expiredReplyTokens = new Set<string>();
  let nextId = 500_000_000_000_000;

  const server: Server = createServer(async (request, response) => {
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
    if (request.method === 'POST' && path === '/v2/bot/message/reply') {
      const token = String(body?.replyToken ?? '');
      const messages = (body?.messages as unknown[]) ?? [];
      if (messages.length > 5)
        return json(400, {
          message: 'The request body has 1 error(s)',
          details: [{ message: 'Size must be between 1 and 5', property: 'messages' }],
        });
      if (usedReplyTokens.has(token) || expiredReplyTokens.has(token) || !token)
        return json(400, { message: 'Invalid reply token' });
      usedReplyTokens.add(token);
      return json(200, sent(messages));
    }
    if (request.method === 'POST' && path === '/v2/bot/message/push') {
      const messages = (body?.messages as unknown[]) ?? [];
      if (messages.length > 5)
        return json(400, {
          message: 'The request body has 1 error(s)',
          details: [{ message: 'Size must be between 1 and 5', property: 'messages' }],
        });
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
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
