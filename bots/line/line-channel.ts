import { HTTPFetchError, type messagingApi } from '@line/bot-sdk';
import type { i18n } from 'i18next';
import type { OutboxMessage, PlatformChatChannel, SendContext, SendResult } from '../../intake/chat/chat-channel.js';
import { splitText } from '../../intake/conversation/chat-messages.js';
import { lineTextLimit, toLineMessages } from './line-messages.js';

/** LINE takes at most five messages in one reply or push. */
export const messagesPerRequest = 5;

/**
 * One reply or push: up to five messages, and for the first request of a
 * turn the event's reply token, used while it is valid (LINE answers a used
 * or expired one 400 "Invalid reply token"; the messages then go by push).
 */
interface LineRequest {
  kind: 'messages';
  messages: messagingApi.Message[];
  replyToken?: string;
  replyTokenValidUntil?: string;
}

function inGroups<T>(items: T[], size: number): T[][] {
  const groups: T[][] = [];
  for (let start = 0; start < items.length; start += size) groups.push(items.slice(start, start + size));
  return groups;
}

function isInvalidReplyToken(error: unknown): boolean {
  return error instanceof HTTPFetchError && error.status === 400 && /invalid reply token/i.test(error.body);
}

/** A request that never got an answer (refused connection, dropped socket): worth trying again. */
function isNetworkError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const { name, code, cause } = error as Error & { code?: unknown; cause?: unknown };
  // fetch reports a dropped connection as a TypeError whose cause carries the system code.
  return (
    name === 'AbortError' ||
    typeof code === 'string' ||
    (error instanceof TypeError && cause instanceof Error && typeof (cause as { code?: unknown }).code === 'string')
  );
}

function retryAfterMsOf(error: HTTPFetchError): number | undefined {
  const seconds = Number(error.headers.get('retry-after'));
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : undefined;
}

function classify(error: unknown): SendResult {
  if (error instanceof HTTPFetchError) {
    if (error.status === 429) {
      const retryAfterMs = retryAfterMsOf(error);
      return { status: 'retry', reason: 'line.too_many_requests', ...(retryAfterMs ? { retryAfterMs } : {}) };
    }
    if (error.status === 403) return { status: 'blocked', reason: 'line.blocked' };
    if (error.status === 400) return { status: 'rejected', reason: 'line.bad_request' };
    if (error.status >= 500) return { status: 'retry', reason: 'line.server_error' };
    return { status: 'rejected', reason: `line.http_${error.status}` };
  }
  if (isNetworkError(error)) return { status: 'retry', reason: 'line.network_error' };
  throw error;
}

/**
 * The LINE side of the chat-channel port: a turn's outputs become LINE
 * messages (texts with quick replies, Flex cards), five to a request, one
 * outbox row per request. Pushes carry the row's id as LINE's retry key, so
 * a push resent after a crash is recognised by LINE (409) and shown once; a
 * reply sent again finds its token used and is not pushed after it.
 */
export function createLineChannel(options: {
  client: messagingApi.MessagingApiClient;
  i18n: i18n;
}): PlatformChatChannel {
  const { client } = options;

  async function deliver(userId: string, request: LineRequest, context: SendContext): Promise<SendResult> {
    const tokenValid =
      request.replyToken !== undefined &&
      request.replyTokenValidUntil !== undefined &&
      context.now.getTime() < new Date(request.replyTokenValidUntil).getTime();
    if (tokenValid) {
      try {
        await client.replyMessage({ replyToken: request.replyToken!, messages: request.messages });
        return { status: 'delivered' };
      } catch (error) {
        if (!isInvalidReplyToken(error)) throw error;
        // A reply token is used once, and LINE takes it for a minute after its event (we use it for less): refused
        // within that time, it was used, and only this request ever carries it. An earlier try of this very request
        // whose answer never came (a dropped connection, a sender that died after LINE took it) used it: the person
        // has these messages. A reply cannot carry a retry key (LINE refuses one there), so this is how a repeat
        // is told; a push now would show them twice.
        if (context.earlierTries > 0) return { status: 'delivered' };
      }
    }
    try {
      await client.pushMessage({ to: userId, messages: request.messages }, context.outboxId);
    } catch (error) {
      // The same retry key again: LINE took this push before (we died before recording it).
      if (error instanceof HTTPFetchError && error.status === 409) return { status: 'delivered' };
      throw error;
    }
    return { status: 'delivered' };
  }

  function requests(messages: messagingApi.Message[], replyToken?: { token: string; validUntil: Date }): LineRequest[] {
    return inGroups(messages, messagesPerRequest).map((group, index) => ({
      kind: 'messages',
      messages: group,
      ...(index === 0 && replyToken
        ? { replyToken: replyToken.token, replyTokenValidUntil: replyToken.validUntil.toISOString() }
        : {}),
    }));
  }

  return {
    delivery: 'outbox',
    channel: 'line',
    render(outputs, language, context) {
      const t = options.i18n.getFixedT(language, 'conversation');
      return requests(toLineMessages(outputs, t), context.replyToken);
    },
    renderText: (text) =>
      requests(
        splitText(text, lineTextLimit)
          .filter((part) => part.trim() !== '')
          .map((part) => ({ type: 'text' as const, text: part })),
      ),
    async send(recipient, message: OutboxMessage, context) {
      try {
        return await deliver(recipient, message as LineRequest, context);
      } catch (error) {
        return classify(error);
      }
    },
  };
}
