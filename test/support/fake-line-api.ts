import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for api.line.me and api-data.line.me on 127.0.0.1, in the
 * Messaging API's wire format: reply and push (`{"sentMessages":[…]}`), user
 * profiles, and message content downloads. A reply token can be used once
 * and expires; a used or unknown one answers 400 `{"message":"Invalid reply token"}`,
 * as LINE does. Every request is recorded; `delivered` holds only the
 * messages the fake took, in order. It refuses what LINE refuses: more than
 * five messages in a request, an empty text or one over 5,000 characters, an
 * action label (quick reply, Flex button) over 20 graphemes, a reply token
 * used before or issued more than a minute ago, an `X-Line-Retry-Key` that is
 * not a UUID (400), and a push repeating an accepted retry key (409, and not
 * shown again). Videos and audio are transcoded first: their content is 404
 * until `/content/transcoding` says `succeeded`. A test can make the next
 * calls to a path fail (429 with Retry-After, 403, 500, a dropped connection,
 * or one taken and then dropped before the answer), or hold every message call
 * unanswered and untaken.
 */
export interface LineCall {
  path: string;
  body: Record<string, unknown> | undefined;
  headers: Record<string, string | string[] | undefined>;
}

export type LineFailure =
  | { status: number; message: string; retryAfter?: number }
  | { drop: true }
  /** The request is carried out (the messages shown), then the connection drops before the answer. */
  | { dropAfterTaking: true };

export interface DeliveredLineMessage {
  via: 'reply' | 'push';
  to?: string;
  message: { type: string; text?: string; altText?: string };
}

export const lineTextLimit = 5000;
export const lineLabelLimit = 20;
/** How long LINE takes a reply token after the event it came with. */
export const replyTokenLifetimeMs = 60_000;

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Every action label in a message (quick reply items, Flex and template buttons), with where it is. */
function labelsIn(value: unknown, path: string, found: Array<{ path: string; label: string }>) {
  if (Array.isArray(value)) {
    value.forEach((item, index) => labelsIn(item, `${path}[${index}]`, found));
    return found;
  }
  if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      if (key === 'action' && child && typeof child === 'object' && 'label' in child)
        found.push({ path: `${path}.action.label`, label: String((child as { label: unknown }).label) });
      labelsIn(child, `${path}.${key}`, found);
    }
  }
  return found;
}

export async function startFakeLineApi(channelAccessToken: string) {
  const calls: LineCall[] = [];
  const delivered: DeliveredLineMessage[] = [];
  const failures = new Map<string, Array<LineFailure | undefined>>();
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
      for (const { path, label } of labelsIn(message, `messages[${index}]`, []))
        if ([...graphemes.segment(label)].length > lineLabelLimit)
          return {
            message: 'The request body has 1 error(s)',
            details: [{ message: `Length must be between 0 and ${lineLabelLimit}`, property: path.slice(0) }],
          };
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

  /** Failures meant for one request (a person's push or reply), whatever other calls come first. */
  const targetedFailures: Array<{
    path: string;
    matches: (body: Record<string, unknown> | undefined) => boolean;
    failure: LineFailure;
  }> = [];
  const profiles = new Map<string, { displayName: string; language?: string }>();
  const contents = new Map<string, { bytes: Buffer; contentType: string }>();
  /** Downloads held until the test lets them go (a large file on a slow link): answered then as usual. */
  const heldContents = new Map<string, { reached: () => void; released: Promise<void> }>();
  const usedReplyTokens = new Set<string>();
  const expiredReplyTokens = new Set<string>();
  /** When each announced reply token was issued (its event sent); unannounced ones count from first use. */
  const issuedReplyTokens = new Map<string, number>();
  /** Per video or audio message: the transcoding statuses still to answer, the last one repeating. */
  const transcoding = new Map<string, string[]>();
  let skewMs = 0;
  const clock = () => Date.now() + skewMs;
  let nextId = 500_000_000_000_000;

  const server: Server = createServer(async (request, response) => {
    response.on('finish', changed);
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : undefined;
    const path = (request.url ?? '/').split('?')[0]!;
    calls.push({ path, body, headers: request.headers });
    let dropAnswer = false;
    const json = (status: number, value: unknown) => {
      if (dropAnswer) {
        request.socket.destroy();
        changed();
        return;
      }
      response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
    };

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
    const targeted = targetedFailures.findIndex((entry) => entry.path === path && entry.matches(body));
    const failure = targeted >= 0 ? targetedFailures.splice(targeted, 1)[0]!.failure : failures.get(path)?.shift();
    // Carried out as usual (below); only the answer never arrives.
    if (failure && 'dropAfterTaking' in failure) dropAnswer = true;
    else if (failure && 'drop' in failure) {
      request.socket.destroy();
      changed();
      return undefined;
    }
    if (failure && 'status' in failure) {
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
      const issuedAt = issuedReplyTokens.get(token);
      const tooOld = issuedAt !== undefined && clock() - issuedAt > replyTokenLifetimeMs;
      if (usedReplyTokens.has(token) || expiredReplyTokens.has(token) || tooOld || !token)
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
        if (!uuidPattern.test(retryKey))
          return json(400, { message: 'The value for the X-Line-Retry-Key header is invalid' });
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
    const preparing = /^\/v2\/bot\/message\/([^/]+)\/content\/transcoding$/.exec(path);
    if (request.method === 'GET' && preparing) {
      const statuses = transcoding.get(preparing[1]!);
      if (!statuses && !contents.has(preparing[1]!)) return json(404, { message: 'Not found' });
      const status = statuses && statuses.length > 1 ? statuses.shift()! : (statuses?.[0] ?? 'succeeded');
      return json(200, { status });
    }
    const content = /^\/v2\/bot\/message\/([^/]+)\/content$/.exec(path);
    if (request.method === 'GET' && content) {
      const heldDownload = heldContents.get(content[1]!);
      if (heldDownload) {
        heldContents.delete(content[1]!);
        heldDownload.reached();
        await heldDownload.released;
      }
      const stored = contents.get(content[1]!);
      const statuses = transcoding.get(content[1]!);
      // A video or audio LINE is still preparing (or failed to) has no content to fetch yet.
      if (!stored || (statuses && statuses[0] !== 'succeeded')) return json(404, { message: 'Not found' });
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
    /**
     * Holds the next download of one message's content, as a large file on a slow link does: `reached` resolves
     * when the download has been asked for, `release` lets it be answered.
     */
    holdContent(messageId: string): { reached: Promise<void>; release: () => void } {
      let reached = () => {};
      let release = () => {};
      const reachedPromise = new Promise<void>((resolve) => (reached = resolve));
      const released = new Promise<void>((resolve) => (release = resolve));
      heldContents.set(messageId, { reached, released });
      return { reached: reachedPromise, release };
    },
    expireReplyToken(token: string) {
      expiredReplyTokens.add(token);
    },
    /** A reply token LINE issued with an event sent at `at` (now by default): it is refused a minute later. */
    issueReplyToken(token: string, at = clock()) {
      issuedReplyTokens.set(token, at);
    },
    /** Moves the fake's clock on (reply tokens expire). */
    advance(ms: number) {
      skewMs += ms;
    },
    /**
     * A video or audio message LINE transcodes: `/content/transcoding` answers these statuses in turn (the last
     * repeats), and its content is 404 until the status reached is `succeeded`.
     */
    addTranscodedContent(messageId: string, bytes: Buffer, contentType: string, statuses: string[]) {
      contents.set(messageId, { bytes, contentType });
      transcoding.set(messageId, [...statuses]);
    },
    callsTo(path: string) {
      return calls.filter((call) => call.path === path);
    },
    /** The messages the fake took (reply or push answered 200), in the order it took them. */
    delivered,
    failNext(path: string, failure: LineFailure) {
      failures.set(path, [...(failures.get(path) ?? []), failure]);
    },
    /**
     * Fails the next call to a path whose body `matches` (a push to one person, a reply with their token): a
     * platform's failure meets that person's send, not whichever other person's call comes first.
     */
    failNextFor(path: string, matches: (body: Record<string, unknown> | undefined) => boolean, failure: LineFailure) {
      targetedFailures.push({ path, matches, failure });
    },
    /** Lets the next `passing` calls to a path through, then fails the one after. */
    failAfter(path: string, passing: number, failure: LineFailure) {
      failures.set(path, [...(failures.get(path) ?? []), ...Array<undefined>(passing).fill(undefined), failure]);
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
